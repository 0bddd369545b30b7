"""Pages owned by the section they sit in: an experiment or practice belongs to the
municipality of its parent page, an expertise page to the knowledge centre of its parent.
The owner is never typed in; it follows the page tree (which is also what permissions follow)."""


class OwnedBySection:
    """Mixin for a Page with a foreign key to its owner; `owner_field` names the key's attname
    (for example "municipality_id"), which the parent section page has too."""

    owner_field: str

    def take_owner_from(self, parent) -> None:
        if getattr(self, self.owner_field) is None:
            setattr(self, self.owner_field, getattr(parent.specific, self.owner_field, None))

    def save(self, *args, **kwargs):
        if self.depth and self._state.adding:
            # A new page belongs to the section it is created in, also when it was made outside
            # the admin form (a script, the demo loader) or is a copy of another section's page.
            setattr(self, self.owner_field, None)
            self.take_owner_from(self.get_parent())
        super().save(*args, **kwargs)


def sections_given_to(user, section_model):
    """The section pages of `section_model` (a gemeente's experiments page, a centre's page)
    on which the user's groups hold page permissions themselves: the sections a gemeente's or
    centre's editors were given. Rights from higher up (moderators, administrators) do not
    make a page theirs."""
    if not user.is_authenticated:
        return section_model.objects.none()
    return section_model.objects.filter(group_permissions__group__user=user).distinct()
