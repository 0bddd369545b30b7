"""Who may handle which question, as a Wagtail permission policy.

Model level: Django's permissions for Question (`change_question` to open and handle questions;
`handle_all_questions` to see every centre's, which the moderators get). Instance level: a
question belongs to the knowledge centre that handles it now, and only that centre's editor
group (editorial.SectionGroup) sees it. The admin views take their querysets from here, so
another centre's question is simply not found (404)."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Question


class QuestionPermissionPolicy(ModelPermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        who = Q(
            pk__in=self._get_users_with_any_permission_codenames(["handle_all_questions"]).values(
                "pk"
            )
        )
        if instance.knowledge_centre_id is not None:
            who |= Q(groups__section__knowledge_centre_id=instance.knowledge_centre_id)
        return self.users_with_any_permission(actions).filter(who).distinct()


question_permission_policy = QuestionPermissionPolicy(Question)
