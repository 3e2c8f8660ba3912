"""The "Support agent" group: views everything, changes only what features allow."""

from django.contrib.auth.models import Group, Permission

from portal.support_agents import (
    SUPPORT_AGENT_CHANGES,
    SUPPORT_AGENT_GROUP,
    sync_support_agent_group,
)


def test_support_agents_view_everything_and_change_only_the_listed(db):
    sync_support_agent_group()
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=SUPPORT_AGENT_GROUP).permissions.select_related(
            "content_type"
        )
    }

    views = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(codename__startswith="view_").select_related(
            "content_type"
        )
    }
    assert views <= granted
    assert granted - views == SUPPORT_AGENT_CHANGES
    assert "audit.change_auditevent" not in granted
    assert not any(label.split(".")[1].startswith("delete_") for label in granted)
