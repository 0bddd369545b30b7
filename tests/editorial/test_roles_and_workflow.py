"""Who may do what (issue 4, items 1 and 3): one editor group per gemeente and knowledge
centre, the moderators, the moderation workflow and its emails — all through Wagtail's own
admin views, checked on status codes, database state and email recipients."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site, WorkflowState

from agenda.models import AgendaIndexPage
from editorial.models import EditorialSettings, SectionGroup
from editorial.setup import (
    AGENDA_WORKFLOW_NAME,
    MODERATORS_GROUP_NAME,
    WORKFLOW_NAME,
    setup_roles,
)
from experiments.models import ExperimentIndexPage, ExperimentPage, Registration
from kennisbank.models import (
    EvaluationIndexPage,
    KennisbankIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
)
from programme.models import MunicipalityProgrammePage
from tests.factories import ExperimentPageFactory, ExpertisePageFactory
from tests.helpers import add_experiment_url, experiment_form_data, experiments_parent, log_in
from tests.roles_helpers import (
    admin_url,
    assert_login_required,
    assert_refused,
    centre_editor,
    make_user,
    municipality_editor,
    set_editors_may_publish,
    workflow_action,
)
from vocabulary.models import KnowledgeCentre, Municipality, Neighbourhood

pytestmark = pytest.mark.django_db


def crooswijk():
    return Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")


def state_of(page):
    """What must not change when the admin refuses: the page row and its revisions."""
    page = Page.objects.get(pk=page.pk)
    return (
        page.title,
        page.slug,
        page.live,
        page.path,
        page.latest_revision_id,
        page.revisions.count(),
        page.has_unpublished_changes,
    )


# --- setup_roles ------------------------------------------------------------------------------


def test_setup_roles_makes_every_group_once_and_is_idempotent(roles):
    again = setup_roles()

    assert (again.groups_created, again.page_permissions_added, again.collections_created) == (
        0,
        0,
        0,
    )
    assert (
        SectionGroup.objects.filter(kind="gemeente").count() == Municipality.objects.count() == 18
    )
    assert (
        SectionGroup.objects.filter(kind="kenniscentrum").count()
        == KnowledgeCentre.objects.count()
        == 7
    )
    moderators = SectionGroup.objects.get(kind="redactie").group
    assert moderators.name == MODERATORS_GROUP_NAME
    assert (
        SectionGroup.objects.get(municipality__slug="rotterdam").group.name
        == "Gemeente Rotterdam – redactie"
    )
    assert SectionGroup.objects.get(knowledge_centre__slug="kei").group.name == "KEI – redactie"

    # Rotterdam's editors: add and change on Rotterdam's three section pages (registrations,
    # practices, wijkactieplannen and charter), no publish; add (their own evaluations, for
    # moderation) on the evaluations index.
    group = SectionGroup.objects.get(municipality__slug="rotterdam").group
    granted = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    )
    experiments = experiments_parent("rotterdam").pk
    practices = MunicipalityPracticesPage.objects.get(municipality__slug="rotterdam").pk
    plans = MunicipalityProgrammePage.objects.get(municipality__slug="rotterdam").pk
    evaluations = EvaluationIndexPage.objects.get().pk
    assert granted == {
        (p, c) for p in (experiments, practices, plans) for c in ("add_page", "change_page")
    } | {(evaluations, "add_page")}
    assert group.permissions.filter(codename="access_admin").exists()
    assert group.section.collection is not None

    # A centre: its own section, and `add` only on the evaluations and on the agenda (its own
    # events, approved by the programme directorate).
    centre = SectionGroup.objects.get(knowledge_centre__slug="kei")
    agenda = AgendaIndexPage.objects.get().pk
    assert set(
        GroupPagePermission.objects.filter(group=centre.group).values_list("page_id", flat=True)
    ) == {KnowledgeCentrePage.objects.get(knowledge_centre__slug="kei").pk, evaluations, agenda}
    assert set(
        GroupPagePermission.objects.filter(group=centre.group, page_id=agenda).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page"}
    workflow = AgendaIndexPage.objects.get().get_workflow()
    [task] = workflow.tasks.specific()
    assert workflow.name == AGENDA_WORKFLOW_NAME
    assert list(task.groups.all()) == [SectionGroup.objects.get(kind="rijk").group]

    # One workflow with the moderators' approval task, on the experiments and the kennisbank.
    for index in (ExperimentIndexPage.objects.get(), KennisbankIndexPage.objects.get()):
        workflow = index.get_workflow()
        assert workflow.name == WORKFLOW_NAME
        [task] = workflow.tasks.specific()
        assert list(task.groups.all()) == [moderators]
    assert experiments_parent("amsterdam").get_workflow().name == WORKFLOW_NAME


def test_a_renamed_municipality_keeps_its_group(roles):
    rotterdam = Municipality.objects.get(slug="rotterdam")
    group = rotterdam.editor_group.group
    rotterdam.name = "Rotterdam-Rijnmond"
    rotterdam.save()

    setup_roles()

    group.refresh_from_db()
    assert group.name == "Gemeente Rotterdam-Rijnmond – redactie"
    assert SectionGroup.objects.filter(kind="gemeente").count() == 18


# --- Isolation between gemeenten ------------------------------------------------------------


@pytest.fixture
def amsterdam_pages(roles):
    draft = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams concept"
    )
    live = ExperimentPageFactory(
        gemeente="amsterdam", wijk="zuidoost", title="Amsterdams gepubliceerd", published=True
    )
    return draft, live


def test_a_gemeente_editor_can_work_on_own_experiments(rotterdam):
    own = ExperimentPageFactory(gemeente="rotterdam", wijk="crooswijk", title="Rotterdams concept")
    assert rotterdam.get(admin_url("edit", own.pk)).status_code == 200
    assert rotterdam.get(add_experiment_url(experiments_parent("rotterdam"))).status_code == 200
    assert rotterdam.get(admin_url("view_draft", own.pk)).status_code == 200
    # Documents and images for their experiments go into their own collection.
    assert rotterdam.get(reverse("wagtaildocs:add")).status_code == 200
    assert rotterdam.get(reverse("wagtailimages:add")).status_code == 200


def test_a_gemeente_editor_cannot_open_or_change_another_gemeentes_experiments(
    rotterdam, amsterdam_pages
):
    for page in amsterdam_pages:
        before = state_of(page)
        edit_url = admin_url("edit", page.pk)
        assert_refused(rotterdam.get(edit_url))
        data = experiment_form_data(
            list(page.neighbourhoods.all()), title="Overgenomen", slug=page.slug
        )
        assert_refused(rotterdam.post(edit_url, {**data, "action-publish": "publish"}))
        assert_refused(rotterdam.post(edit_url, data))
        assert_refused(rotterdam.get(admin_url("view_draft", page.pk)))
        assert_refused(rotterdam.post(admin_url("preview_on_edit", page.pk), data))
        revision = page.latest_revision
        assert_refused(rotterdam.get(admin_url("revisions_view", page.pk, revision.pk)))
        assert_refused(rotterdam.get(admin_url("revisions_revert", page.pk, revision.pk)))
        assert_refused(rotterdam.get(admin_url("history", page.pk)))
        assert_refused(rotterdam.get(admin_url("move", page.pk)))
        assert_refused(
            rotterdam.post(admin_url("move_confirm", page.pk, experiments_parent("rotterdam").pk))
        )
        assert_refused(rotterdam.get(admin_url("delete", page.pk)))
        assert_refused(rotterdam.post(admin_url("delete", page.pk)))
        assert_refused(rotterdam.post(admin_url("unpublish", page.pk)))
        assert_refused(
            rotterdam.post(
                admin_url("copy", page.pk),
                {
                    "new_title": "Kopie",
                    "new_slug": "kopie",
                    "new_parent_page": experiments_parent("rotterdam").pk,
                },
            )
        )
        assert state_of(page) == before
    assert not ExperimentPage.objects.filter(slug="kopie").exists()


def test_a_gemeente_editor_cannot_add_to_or_move_into_another_gemeente(rotterdam):
    amsterdam = experiments_parent("amsterdam")
    assert_refused(rotterdam.get(add_experiment_url(amsterdam)))
    data = experiment_form_data(
        [Neighbourhood.objects.get(slug="bos-en-lommer")], slug="ingeslopen"
    )
    assert_refused(
        rotterdam.post(add_experiment_url(amsterdam), {**data, "action-submit": "submit"})
    )
    assert not Page.objects.filter(slug="ingeslopen").exists()

    own = ExperimentPageFactory(gemeente="rotterdam", wijk="crooswijk", title="Verhuizer")
    before = state_of(own)
    assert_refused(rotterdam.post(admin_url("move_confirm", own.pk, amsterdam.pk)))
    assert state_of(own) == before


def test_another_gemeentes_drafts_do_not_show_in_the_explorer_or_admin_search(
    rotterdam, amsterdam_pages
):
    draft, _live = amsterdam_pages
    for url in (
        reverse("wagtailadmin_explore", args=[experiments_parent("amsterdam").pk]),
        admin_url("search") + "?q=Amsterdams",
        reverse("wagtailadmin_explore", args=[experiments_parent("amsterdam").pk])
        + "?q=Amsterdams&search_all=1",
    ):
        response = rotterdam.get(url, follow=True)
        assert response.status_code in (200, 403, 404)
        html = response.content.decode()
        assert admin_url("edit", draft.pk) not in html
        assert "Amsterdams concept" not in html


def test_the_section_pages_themselves_are_kept_by_the_moderators(rotterdam, moderator_client):
    section = experiments_parent("rotterdam")
    before = state_of(section)
    assert_refused(rotterdam.get(admin_url("edit", section.pk)))
    assert_refused(rotterdam.post(admin_url("edit", section.pk), {"title": "Weg", "slug": "weg"}))
    assert_refused(rotterdam.post(admin_url("unpublish", section.pk)))
    assert_refused(rotterdam.post(admin_url("delete", section.pk)))
    assert_refused(rotterdam.get(admin_url("move", section.pk)))
    assert state_of(section) == before
    assert moderator_client.get(admin_url("edit", section.pk)).status_code == 200


def test_a_centre_editor_cannot_edit_another_centres_expertise(roles, client):
    log_in(client, centre_editor("kei", "redactie-kei"))
    own = ExpertisePageFactory(centre="kei", title="Dossier van KEI")
    theirs = ExpertisePageFactory(centre="nicis", title="Dossier van NICIS", published=True)
    assert client.get(admin_url("edit", own.pk)).status_code == 200

    before = state_of(theirs)
    edit_url = admin_url("edit", theirs.pk)
    assert_refused(client.get(edit_url))
    assert_refused(
        client.post(edit_url, {"title": "Overgenomen", "slug": theirs.slug, "action-publish": "1"})
    )
    assert_refused(client.post(admin_url("delete", theirs.pk)))
    assert_refused(client.post(admin_url("unpublish", theirs.pk)))
    nicis = KnowledgeCentrePage.objects.get(knowledge_centre__slug="nicis")
    assert_refused(client.get(admin_url("add", "kennisbank", "expertisepage", nicis.pk)))
    assert state_of(theirs) == before


def test_anonymous_visitors_reach_no_drafts_revisions_or_admin(client, amsterdam_pages):
    draft, live = amsterdam_pages
    assert client.get(draft.get_url()).status_code == 404
    # An unpublished change to a live page stays out of the public page.
    live.title = "Geheime wijziging"
    live.save_revision()
    public = client.get(live.get_url())
    assert public.status_code == 200
    assert "Geheime wijziging" not in public.content.decode()

    for page in (draft, live):
        revision = page.latest_revision
        assert_login_required(client.get(admin_url("revisions_view", page.pk, revision.pk)))
        assert_login_required(
            client.get(admin_url("revisions_compare", page.pk, "live", revision.pk))
        )
        assert_login_required(client.get(admin_url("view_draft", page.pk)))
        assert_login_required(client.get(admin_url("edit", page.pk)))
    assert_login_required(client.get(reverse("wagtailadmin_home")))


# --- The moderation workflow and its emails ---------------------------------------------------


def submit_new_experiment(client, slug="aangemeld-experiment", action="action-submit"):
    data = experiment_form_data([crooswijk()], title="Aangemeld experiment", slug=slug)
    response = client.post(
        add_experiment_url(experiments_parent("rotterdam")), {**data, action: "1"}
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    return ExperimentPage.objects.get(slug=slug)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submit_then_approve_publishes_with_a_registration_number(roles, client, moderator_client):
    editor = municipality_editor("rotterdam", "redactie-rotterdam")
    municipality_editor("amsterdam", "redactie-amsterdam")  # not a moderator: gets nothing
    log_in(client, editor)

    page = submit_new_experiment(client)

    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_state.requested_by == editor
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert recipients() == ["redacteur@example.org"]
    assert mail.outbox[0].from_email == settings.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL
    assert not Registration.objects.filter(page=page).exists()

    # The editor cannot approve their own submission.
    assert_refused(workflow_action(client, page, "approve"))
    page.refresh_from_db()
    assert not page.live

    mail.outbox.clear()
    response = workflow_action(moderator_client, page, "approve")
    assert response.status_code == 302

    page = ExperimentPage.objects.get(pk=page.pk)
    assert page.live
    assert not page.workflow_in_progress
    assert page.registration_number.startswith("KW-")
    assert recipients() == ["redactie-rotterdam@example.org"]
    assert client.get(page.get_url()).status_code == 200


def test_reject_sends_the_comment_back_and_publishes_nothing(roles, client, moderator_client):
    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam"))
    page = submit_new_experiment(client)
    mail.outbox.clear()

    response = workflow_action(
        moderator_client, page, "reject", comment="Vul de onderzoeksopzet aan, graag."
    )
    assert response.status_code == 302

    page = ExperimentPage.objects.get(pk=page.pk)
    assert not page.live
    assert not page.workflow_in_progress
    assert (
        WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_NEEDS_CHANGES
    )
    assert not Registration.objects.filter(page=page).exists()
    assert recipients() == ["redactie-rotterdam@example.org"]
    assert "Vul de onderzoeksopzet aan, graag." in mail.outbox[0].body
    # Back with the editor, who can change it and submit again.
    assert client.get(admin_url("edit", page.pk)).status_code == 200


def test_users_without_an_email_address_are_reported(roles):
    make_user(
        "zonder-adres", SectionGroup.objects.get(municipality__slug="rotterdam").group, email=""
    )
    assert "zonder-adres" in setup_roles().users_without_email


# --- "Editors cannot publish on their own unless the site settings say so" ---------------------


def test_editors_cannot_publish_directly_by_default(rotterdam):
    assert not EditorialSettings.for_site(
        Site.objects.get(is_default_site=True)
    ).editors_may_publish

    page = submit_new_experiment(rotterdam, slug="direct-gepubliceerd", action="action-publish")
    assert not page.live
    assert not Registration.objects.filter(page=page).exists()

    data = experiment_form_data([crooswijk()], title="Nog eens", slug=page.slug)
    rotterdam.post(admin_url("edit", page.pk), {**data, "action-publish": "1"})
    page = ExperimentPage.objects.get(pk=page.pk)
    assert not page.live


def test_editors_can_publish_directly_when_the_setting_allows_it(rotterdam):
    set_editors_may_publish(True)
    page = submit_new_experiment(rotterdam, slug="direct-gepubliceerd", action="action-publish")
    assert page.live
    assert page.registration_number.startswith("KW-")
    assert setup_roles().page_permissions_added == 0  # the setting was applied when saved

    set_editors_may_publish(False)
    assert not GroupPagePermission.objects.filter(
        group__section__kind__in=["gemeente", "kenniscentrum"], permission__codename="publish_page"
    ).exists()
    again = submit_new_experiment(rotterdam, slug="niet-meer-direct", action="action-publish")
    assert not again.live


def test_the_setting_is_applied_when_saved_in_the_admin(roles, admin_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["editorial", "editorialsettings", site.pk])
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    group = SectionGroup.objects.get(knowledge_centre__slug="kei").group

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"editors_may_publish": "on"}).status_code == 302
    assert GroupPagePermission.objects.filter(group=group, permission=publish).exists()

    assert admin_client.post(url, {}).status_code == 302
    assert not GroupPagePermission.objects.filter(group=group, permission=publish).exists()


def test_setup_roles_lets_centre_editors_answer_their_questions_and_moderators_all():
    from django.contrib.auth.models import Group

    from editorial.setup import setup_roles

    setup_roles()
    centre_group = Group.objects.get(section__knowledge_centre__slug="movisie")
    moderators = Group.objects.get(section__kind="redactie")
    centre_perms = set(centre_group.permissions.values_list("content_type__app_label", "codename"))
    moderator_perms = set(moderators.permissions.values_list("content_type__app_label", "codename"))
    assert ("loket", "change_question") in centre_perms
    assert ("loket", "handle_all_questions") not in centre_perms
    assert {
        ("loket", "change_question"),
        ("loket", "handle_all_questions"),
        ("loket", "change_themeroute"),
    } <= moderator_perms
