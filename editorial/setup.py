"""Who may do what, set up in the database: one editor group per gemeente and per knowledge
centre, the moderators ("Redactie Kennisloket"), the Rijk's programme directorate, their
Wagtail page and collection permissions, and the moderation workflow on the content sections.

Everything here uses Wagtail's own machinery (GroupPagePermission on the section pages,
GroupCollectionPermission, a Workflow with a GroupApprovalTask), so "a gemeente edits its own
registrations only" follows from the page tree.

`setup_roles()` is idempotent: it finds what exists (groups through their SectionGroup, so a
renamed group is not doubled), adds what is missing and changes nothing else, except the
editors' `publish` permission, which follows EditorialSettings.editors_may_publish, and
Wagtail's own default groups and workflow, which it takes out of the way (see
neutralise_wagtail_defaults).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from agenda.models import AgendaIndexPage
from experiments.models import ExperimentIndexPage, MunicipalityExperimentsPage
from kennisbank.models import (
    EvaluationIndexPage,
    KennisbankIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
)
from programme.models import BarrierPage, MunicipalityProgrammePage, ProgrammeIndexPage
from vocabulary.models import KnowledgeCentre, Municipality

from .models import EditorialSettings, SectionGroup

# Names are data, kept in Dutch like the rest of the content (the admin shows them as they are).
MUNICIPALITY_GROUP_NAME = "Gemeente {name} – redactie"
CENTRE_GROUP_NAME = "{abbreviation} – redactie"
MODERATORS_GROUP_NAME = "Redactie Kennisloket"
MUNICIPALITY_COLLECTION_NAME = "Gemeente {name}"
CENTRE_COLLECTION_NAME = "{abbreviation}"
WORKFLOW_NAME = "Moderatie Kennisloket"
TASK_NAME = "Goedkeuring redactie"

# Page permissions (actions of wagtailcore's Page permissions).
EDITOR_PAGE_ACTIONS = ("add", "change")
# On the shared evaluations index the editors only add: Wagtail's `add` lets them edit the
# evaluations they made, not anyone else's, and they never publish there (that right would
# reach every evaluation), so their evaluations always go through moderation.
EDITOR_EVALUATION_ACTIONS = ("add",)
MODERATOR_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
# Collection permissions for documents and images: add, change (which includes delete), choose.
COLLECTION_PERMISSIONS = [
    (app, f"{action}_{model}")
    for app, model in (("wagtaildocs", "document"), ("wagtailimages", "image"))
    for action in ("add", "change", "choose")
]
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
# The moderators keep the vocabulary and the search thesaurus (snippets). New gemeenten and
# knowledge centres need setup_roles run afterwards, so those two are change-only.
MODERATOR_MODEL_PERMISSIONS = (
    [
        ("vocabulary", f"{action}_{model}")
        for model in ("neighbourhood", "theme", "experimenttype", "recognitionlevel")
        for action in ("add", "change")
    ]
    + [
        ("vocabulary", "change_municipality"),
        ("vocabulary", "change_knowledgecentre"),
        ("search", "add_synonym"),
        ("search", "change_synonym"),
        ("search", "delete_synonym"),
        # The question desk (loket/): every centre's questions, and the theme → centre routes.
        ("loket", "change_question"),
        ("loket", "delete_question"),
        ("loket", "handle_all_questions"),
        ("loket", "add_themeroute"),
        ("loket", "change_themeroute"),
        ("loket", "delete_themeroute"),
    ]
    + [
        # The visitatie reports of the gemeenten (programme/, the monitor).
        ("programme", f"{action}_visitationreport")
        for action in ("add", "change", "delete")
    ]
)
# A centre's editors handle their own centre's questions (loket/ limits which ones).
CENTRE_MODEL_PERMISSIONS = [("loket", "change_question")]

# The Rijk's programme directorate ("Programmadirectie Krachtwijken"): the only group with
# page rights on the barrier register, where it records barriers and publishes the Rijk's
# answers itself (no moderation: the answer is the Rijk's, not the site's editorial team's to
# approve); it writes the Rijk's remarks on plans and records the visitation reports.
RIJK_GROUP_NAME = "Programmadirectie Krachtwijken"
RIJK_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
RIJK_MODEL_PERMISSIONS = [
    ("programme", "add_planannotation"),
    ("programme", "change_planannotation"),
    ("programme", "delete_planannotation"),
    ("programme", "add_visitationreport"),
    ("programme", "change_visitationreport"),
]

# The agenda (/agenda/): the directorate manages it and publishes; a knowledge centre's editors
# only add (Wagtail's `add` lets them edit the events they made, not another centre's), and
# their events go through the agenda's workflow, approved by the directorate.
AGENDA_WORKFLOW_NAME = "Moderatie agenda"
AGENDA_TASK_NAME = "Goedkeuring programmadirectie"
CENTRE_AGENDA_ACTIONS = ("add",)

# The people of the programme (people/): the programme directorate, and nobody else but
# superusers, manages the pool of experts (reviews, edits, deletes and invites profiles), the
# accountmanagers and the adoptieteams (snippets), and the alliance's pages under /alliantie/.
PEOPLE_MODEL_PERMISSIONS = [
    ("people", f"{action}_{model}")
    for model in ("expertprofile", "accountmanager", "adoptionteam")
    for action in ("add", "change", "delete", "view")
]


def alliance_index():
    """/alliantie/, found by its type's name: people/ lives above this app."""
    return Page.objects.filter(
        content_type__app_label="people", content_type__model="allianceindexpage"
    ).first()


# What wagtailcore's migrations make: two groups with rights on the root page (so on every
# gemeente's pages) and a workflow on the root whose approvers are the "Moderators" group.
WAGTAIL_DEFAULT_GROUP_NAMES = ("Editors", "Moderators")
WAGTAIL_DEFAULT_WORKFLOW_NAME = "Moderators approval"


@dataclass
class RolesReport:
    groups_created: int = 0
    page_permissions_added: int = 0
    page_permissions_removed: int = 0
    collections_created: int = 0
    editors_may_publish: bool = False
    users_without_email: list[str] = field(default_factory=list)
    default_groups_deleted: list[str] = field(default_factory=list)
    # Wagtail default groups kept because people are in them: {group name: usernames}.
    default_groups_kept: dict[str, list[str]] = field(default_factory=dict)
    default_workflow_deactivated: bool = False

    def __str__(self):
        text = (
            f"{self.groups_created} groups created, {self.page_permissions_added} page permissions "
            f"added, {self.page_permissions_removed} removed, {self.collections_created} collections "
            f"created; editors {'may' if self.editors_may_publish else 'may not'} publish"
        )
        if self.users_without_email:
            text += "; no email address (they get no workflow notifications): " + ", ".join(
                self.users_without_email
            )
        if self.default_groups_deleted:
            text += "; Wagtail's default groups deleted: " + ", ".join(self.default_groups_deleted)
        for name, members in self.default_groups_kept.items():
            text += (
                f"; Wagtail's default group {name!r} has no rights any more but has members "
                f"(put them in a gemeente, centre or moderators group): {', '.join(members)}"
            )
        if self.default_workflow_deactivated:
            text += f"; Wagtail's default workflow {WAGTAIL_DEFAULT_WORKFLOW_NAME!r} deactivated"
        return text


def _permissions(*pairs) -> dict[tuple[str, str], int]:
    """{(app_label, codename): permission id} for the given pairs, in one query."""
    rows = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in pairs},
        codename__in={codename for _, codename in pairs},
    ).values_list("content_type__app_label", "codename", "id")
    found = {(app, codename): pk for app, codename, pk in rows}
    missing = set(pairs) - set(found)
    if missing:
        raise LookupError(f"Permissions missing (are all migrations applied?): {sorted(missing)}")
    return found


def barrier_register():
    """The page barrier entries live under (/belemmeringen/), found through the entries'
    allowed parent type: the register's page type lives above this app."""
    return Page.objects.type(*BarrierPage.allowed_parent_page_models()).first()


def _page_permission_ids(*actions) -> dict[str, int]:
    found = _permissions(*[("wagtailcore", f"{action}_page") for action in actions])
    return {codename.removesuffix("_page"): pk for (_, codename), pk in found.items()}


def editors_may_publish() -> bool:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return False
    return EditorialSettings.for_site(site).editors_may_publish


def editor_groups():
    """The gemeente and knowledge-centre editor groups (not the moderators)."""
    return Group.objects.filter(
        section__kind__in=[SectionGroup.Kind.MUNICIPALITY, SectionGroup.Kind.KNOWLEDGE_CENTRE]
    )


def sync_publish_permissions(may_publish: bool) -> tuple[int, int]:
    """Give the editor groups `publish` wherever they have `change` (their own sections, not
    the shared evaluations index), or take it away everywhere. Returns (added, removed)."""
    ids = _page_permission_ids("change", "publish")
    groups = editor_groups()
    if not may_publish:
        removed, _ = GroupPagePermission.objects.filter(
            group__in=groups, permission_id=ids["publish"]
        ).delete()
        return 0, removed
    wanted = set(
        GroupPagePermission.objects.filter(
            group__in=groups, permission_id=ids["change"]
        ).values_list("group_id", "page_id")
    )
    have = set(
        GroupPagePermission.objects.filter(
            group__in=groups, permission_id=ids["publish"]
        ).values_list("group_id", "page_id")
    )
    missing = wanted - have
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group_id=g, page_id=p, permission_id=ids["publish"])
            for g, p in missing
        ]
    )
    return len(missing), 0


class _Builder:
    def __init__(self, report: RolesReport):
        self.report = report
        self.sections = {
            (s.kind, s.municipality_id or s.knowledge_centre_id): s
            for s in SectionGroup.objects.select_related("group", "collection")
        }
        self.groups_by_name = {g.name: g for g in Group.objects.all()}
        self.root_collection = Collection.get_first_root_node()

    def section_group(self, kind, name, municipality=None, centre=None) -> SectionGroup:
        owner_id = municipality.pk if municipality else centre.pk if centre else None
        section = self.sections.get((kind, owner_id))
        if section is None:
            group = self.groups_by_name.get(name)
            if group is None:
                group = Group.objects.create(name=name)
                self.groups_by_name[name] = group
                self.report.groups_created += 1
            section = SectionGroup.objects.create(
                group=group, kind=kind, municipality=municipality, knowledge_centre=centre
            )
            self.sections[(kind, owner_id)] = section
        elif section.group.name != name and name not in self.groups_by_name:
            # The gemeente or centre was renamed: the group follows.
            del self.groups_by_name[section.group.name]
            section.group.name = name
            section.group.save(update_fields=["name"])
            self.groups_by_name[name] = section.group
        return section

    def collection(self, section: SectionGroup, name: str) -> Collection:
        collection = section.collection
        if collection is None:
            collection = self.root_collection.add_child(name=name)
            section.collection = collection
            section.save(update_fields=["collection"])
            self.report.collections_created += 1
        elif collection.name != name:
            collection.name = name
            collection.save(update_fields=["name"])
        return collection


def _ensure_workflow(
    approvers: Group, pages, name: str = WORKFLOW_NAME, task_name: str = TASK_NAME
) -> Workflow:
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for task in GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow, name=task_name):
        task.groups.add(approvers)  # idempotent; other groups an administrator added stay
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def neutralise_wagtail_defaults(report: RolesReport) -> None:
    """Wagtail's default "Editors" and "Moderators" groups hold page rights on the root, so any
    member could act on every gemeente's pages; its "Moderators approval" workflow on the root
    lets the "Moderators" approve them. An empty default group is deleted. One with members
    loses every right but admin access, and is kept (and reported), so nobody's membership
    silently disappears: an administrator moves them into a real group. The workflow is
    deactivated, which takes it off the root and keeps its history."""
    User = get_user_model()
    defaults = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUP_NAMES, section__isnull=True)
    for group in defaults:
        members = sorted(group.user_set.values_list(User.USERNAME_FIELD, flat=True))
        if not members:
            group.delete()
            report.default_groups_deleted.append(group.name)
            continue
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.remove(
            *group.permissions.exclude(
                content_type__app_label=ACCESS_ADMIN[0], codename=ACCESS_ADMIN[1]
            )
        )
        report.default_groups_kept[group.name] = members
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW_NAME, active=True):
        workflow.deactivate()
        for task in workflow.tasks.filter(active=True):
            if not task.workflow_tasks.filter(workflow__active=True).exists():
                task.deactivate()
        report.default_workflow_deactivated = True


@transaction.atomic
def setup_roles() -> RolesReport:
    """Create or complete the groups, permissions and the moderation workflow. Safe to repeat."""
    # The page tree comes first (load_demo or website.structure.ensure_site_structure makes
    # it); the roles are given on its sections.
    experiments_index = ExperimentIndexPage.objects.first()
    kennisbank_index = KennisbankIndexPage.objects.first()
    evaluations_index = EvaluationIndexPage.objects.first()
    # (An older page tree may not have /wijkactieplannen/ yet.)
    programme_indexes = list(ProgrammeIndexPage.objects.all()[:1])
    if experiments_index is None or kennisbank_index is None or evaluations_index is None:
        raise LookupError("The page tree is missing: run `manage.py load_demo --size 0` first.")
    report = RolesReport(editors_may_publish=editors_may_publish())
    builder = _Builder(report)
    page_perm = _page_permission_ids(*MODERATOR_PAGE_ACTIONS)
    collection_perm = _permissions(*COLLECTION_PERMISSIONS)
    model_perm = _permissions(
        ACCESS_ADMIN,
        *MODERATOR_MODEL_PERMISSIONS,
        *CENTRE_MODEL_PERMISSIONS,
        *RIJK_MODEL_PERMISSIONS,
        *PEOPLE_MODEL_PERMISSIONS,
    )
    editor_actions = EDITOR_PAGE_ACTIONS + (("publish",) if report.editors_may_publish else ())

    want_pages: set[tuple[int, int, int]] = set()  # (group, page, permission)
    want_collections: set[tuple[int, int, int]] = set()  # (group, collection, permission)
    want_models: set[tuple[int, int]] = set()  # (group, permission)
    groups: list[Group] = []

    def grant(group, page_ids, actions, collection):
        groups.append(group)
        want_pages.update(
            (group.pk, page_id, page_perm[a]) for page_id in page_ids for a in actions
        )
        want_collections.update((group.pk, collection.pk, pk) for pk in collection_perm.values())
        want_models.add((group.pk, model_perm[ACCESS_ADMIN]))

    def grant_editors(group, page_ids, collection):
        grant(group, page_ids, editor_actions, collection)
        # Every gemeente and centre submits evaluations (for moderation).
        want_pages.update(
            (group.pk, evaluations_index.pk, page_perm[a]) for a in EDITOR_EVALUATION_ACTIONS
        )

    moderators = builder.section_group(SectionGroup.Kind.MODERATORS, MODERATORS_GROUP_NAME).group
    grant(
        moderators,
        [experiments_index.pk, kennisbank_index.pk, *(p.pk for p in programme_indexes)],
        MODERATOR_PAGE_ACTIONS,
        builder.root_collection,
    )
    want_models.update((moderators.pk, model_perm[key]) for key in MODERATOR_MODEL_PERMISSIONS)

    rijk = builder.section_group(SectionGroup.Kind.RIJK, RIJK_GROUP_NAME)
    register = barrier_register()
    grant(
        rijk.group,
        [register.pk] if register else [],
        RIJK_PAGE_ACTIONS,
        builder.collection(rijk, RIJK_GROUP_NAME),
    )
    want_models.update((rijk.group.pk, model_perm[key]) for key in RIJK_MODEL_PERMISSIONS)
    agenda_indexes = list(AgendaIndexPage.objects.all()[:1])
    want_pages.update(
        (rijk.group.pk, page.pk, page_perm[a]) for page in agenda_indexes for a in RIJK_PAGE_ACTIONS
    )

    # The people of the programme: the pool, accountmanagers, adoptieteams and the alliance.
    alliance = alliance_index()
    if alliance is not None:
        want_pages.update((rijk.group.pk, alliance.pk, page_perm[a]) for a in RIJK_PAGE_ACTIONS)
    want_models.update((rijk.group.pk, model_perm[key]) for key in PEOPLE_MODEL_PERMISSIONS)

    # The section pages, found in three queries (ensure_site_structure made them all).

    experiments_pages = dict(
        MunicipalityExperimentsPage.objects.values_list("municipality_id", "pk")
    )
    practices_pages = dict(MunicipalityPracticesPage.objects.values_list("municipality_id", "pk"))
    programme_pages = dict(MunicipalityProgrammePage.objects.values_list("municipality_id", "pk"))
    centre_pages = dict(KnowledgeCentrePage.objects.values_list("knowledge_centre_id", "pk"))

    for municipality in Municipality.objects.order_by("name"):
        section = builder.section_group(
            SectionGroup.Kind.MUNICIPALITY,
            MUNICIPALITY_GROUP_NAME.format(name=municipality.name),
            municipality=municipality,
        )
        pages = [
            p
            for p in (
                experiments_pages.get(municipality.pk),
                practices_pages.get(municipality.pk),
                programme_pages.get(municipality.pk),
            )
            if p
        ]
        collection = builder.collection(
            section, MUNICIPALITY_COLLECTION_NAME.format(name=municipality.name)
        )
        grant_editors(section.group, pages, collection)

    for centre in KnowledgeCentre.objects.order_by("abbreviation"):
        abbreviation = centre.abbreviation or centre.name
        section = builder.section_group(
            SectionGroup.Kind.KNOWLEDGE_CENTRE,
            CENTRE_GROUP_NAME.format(abbreviation=abbreviation),
            centre=centre,
        )
        pages = [p for p in (centre_pages.get(centre.pk),) if p]
        collection = builder.collection(
            section, CENTRE_COLLECTION_NAME.format(abbreviation=abbreviation)
        )
        grant_editors(section.group, pages, collection)
        want_models.update((section.group.pk, model_perm[key]) for key in CENTRE_MODEL_PERMISSIONS)
        want_pages.update(
            (section.group.pk, page.pk, page_perm[a])
            for page in agenda_indexes
            for a in CENTRE_AGENDA_ACTIONS
        )

    group_ids = [g.pk for g in groups]
    have_pages = set(
        GroupPagePermission.objects.filter(group_id__in=group_ids).values_list(
            "group_id", "page_id", "permission_id"
        )
    )
    missing_pages = want_pages - have_pages
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group_id=g, page_id=p, permission_id=perm)
            for g, p, perm in missing_pages
        ]
    )
    report.page_permissions_added = len(missing_pages)
    if not report.editors_may_publish:
        _, report.page_permissions_removed = sync_publish_permissions(False)

    have_collections = set(
        GroupCollectionPermission.objects.filter(group_id__in=group_ids).values_list(
            "group_id", "collection_id", "permission_id"
        )
    )
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group_id=g, collection_id=c, permission_id=perm)
            for g, c, perm in want_collections - have_collections
        ]
    )

    GroupPermission = Group.permissions.through
    have_models = set(
        GroupPermission.objects.filter(group_id__in=group_ids).values_list(
            "group_id", "permission_id"
        )
    )
    GroupPermission.objects.bulk_create(
        [GroupPermission(group_id=g, permission_id=perm) for g, perm in want_models - have_models]
    )

    _ensure_workflow(moderators, [experiments_index, kennisbank_index, *programme_indexes])
    _ensure_workflow(rijk.group, agenda_indexes, AGENDA_WORKFLOW_NAME, AGENDA_TASK_NAME)
    neutralise_wagtail_defaults(report)

    User = get_user_model()
    report.users_without_email = sorted(
        User.objects.filter(
            is_active=True, groups__in=group_ids, **{User.get_email_field_name(): ""}
        )
        .values_list(User.USERNAME_FIELD, flat=True)
        .distinct()
    )
    return report
