"""What each audit action says, as a sentence people read (the Who column says who did it).

Placeholders are the event's `after` values by key, its `before` values as `before_<key>`,
and `object` (what it was done to, as recorded), `tenant` (the tenant it happened in),
`switched` (on/off, from auto_extend_days). Values are formatted first (audit.describe):
lists joined, codes as labels, times in the reader's format. A placeholder an old event
lacks reads as a dash; the label stands in when a sentence cannot be made at all.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SENTENCES = {
    "admin.object_added": _("Added %(object_type)s “%(object)s” in the support console"),
    "admin.object_changed": _(
        "Changed %(object_type)s “%(object)s” in the support console: %(change)s"
    ),
    "admin.object_deleted": _("Deleted %(object_type)s “%(object)s” in the support console"),
    "agreement.accepted": _("Accepted the customer agreement, version %(version)s"),
    "agreement.published": _("Published the customer agreement “%(title)s”, version %(version)s"),
    "api_token.created": _("Created the API token “%(name)s”"),
    "api_token.revoked": _("Revoked the API token “%(name)s”"),
    "auth.group_permissions_changed": _(
        "Changed the permissions of the support group “%(object)s”: "
        "added %(added)s, removed %(removed)s"
    ),
    "auth.user_groups_changed": _(
        "Changed the support groups of %(object)s: added %(added)s, removed %(removed)s"
    ),
    "autopilot_device.deregistered": _("Deregistered the device %(before_serial_number)s"),
    "autopilot_device.group_tag_changed": _(
        "Changed the group tag of device %(object)s from “%(before_group_tag)s” to “%(group_tag)s”"
    ),
    "autopilot_device.registered": _(
        "Registered the device %(serial_number)s (%(manufacturer)s %(model)s)"
    ),
    "autopilot_devices.imported": _(
        "Imported devices from %(file_name)s: %(accepted)s accepted, %(refused)s refused"
    ),
    "billing_settings.changed": _(
        "Changed whether MPSA partners see each other's purchases: %(mpsa_share_purchases)s"
    ),
    "gdap.access_assigned": _("Gave the partner group “%(group)s” the roles %(roles)s"),
    "gdap.access_changed": _("Changed the roles of the partner group access “%(object)s”"),
    "gdap.access_deprovisioned": _(
        "Finished taking access from the partner group “%(before_group)s”"
    ),
    "gdap.access_provisioned": _("Set up the access “%(object)s”: %(status)s"),
    "gdap.access_removed": _(
        "Took the roles %(before_roles)s from the partner group “%(before_group)s”"
    ),
    "gdap.active_updated": _(
        "Changed the active admin roles “%(object)s”: removing %(remove_roles)s"
    ),
    "gdap.approved": _("Approved admin roles for %(partner)s: %(roles)s, until %(end_at)s"),
    "gdap.auto_extend_changed": _("Switched auto-extend %(switched)s for “%(object)s”"),
    "gdap.auto_extended": _("“%(object)s” extended itself until %(end_at)s"),
    "gdap.created": _(
        "Created the admin role request “%(display_name)s”: %(roles)s for %(duration_days)s days"
    ),
    "gdap.deleted": _("Deleted the admin role request “%(before_display_name)s”"),
    "gdap.expired": _("“%(object)s” reached its end: its admin roles ended"),
    "gdap.locked_for_approval": _("Sent the admin role request “%(object)s” for approval"),
    "gdap.operation_completed": _("Completed a background change of admin roles (%(kind)s)"),
    "gdap.operation_failed": _("A background change of admin roles failed: %(error)s"),
    "gdap.reference_changed": _("Set the internal reference of “%(object)s” to “%(reference)s”"),
    "gdap.reminder_sent": _(
        "Reminded both sides that “%(object)s” ends in %(days_before_end)s days"
    ),
    "gdap.terminated": _("Terminated “%(object)s”: its admin roles ended"),
    "gdap.updated": _("Changed the admin role request “%(object)s”"),
    "industry_app.approved": _("Approved the industry app %(object)s"),
    "industry_app.rejected": _("Rejected the industry app %(object)s"),
    "industry_app.submitted": _("Submitted the industry app %(name)s %(version)s for approval"),
    "invitation.accepted": _(
        "Accepted the invitation of %(partner)s and authorised it: %(relationship_types)s"
    ),
    "invitation.cancelled": _("Cancelled the invitation %(object)s"),
    "invitation.declined": _("Declined the invitation of %(partner)s"),
    "invitation.expired": _("The invitation %(object)s expired unanswered"),
    "invitation.reference_changed": _(
        "Set the internal reference of the invitation %(object)s to “%(reference)s”"
    ),
    "invitation.resent": _(
        "Sent the invitation %(object)s again with a new link, valid until %(expires_at)s"
    ),
    "invitation.sent": _("Invited %(email)s for %(relationship_types)s"),
    "lead.closed": _("Closed the lead %(object)s"),
    "lead.contacted": _("Contacted the lead %(object)s"),
    "lead.converted": _("Converted the lead %(object)s into a customer"),
    "lead.submitted": _("Asked %(partner)s to get in touch (“Contact me”)"),
    "membership.created": _("Added %(email)s with the roles %(roles)s"),
    "membership.invitation_accepted": _(
        "%(email)s accepted the invitation to join, with the roles %(roles)s"
    ),
    "membership.invitation_declined": _("%(email)s declined the invitation to join"),
    "membership.invited": _("Invited %(email)s to join, with the roles %(roles)s"),
    "membership.removed": _("Removed %(before_email)s"),
    "membership.roles_changed": _(
        "Changed the roles of %(object)s from %(before_roles)s to %(roles)s"
    ),
    "outbox.requeued": _("Queued %(messages)s mails to be sent again"),
    "partner.certification_revoked": _("Withdrew the certification of %(object)s"),
    "partner.certified": _("Certified %(object)s: it is listed in the directory"),
    "partner.roles_removed": _(
        "Removed every admin role of %(object)s in the tenant (%(before_relationships)s)"
    ),
    "partner_profile.created": _("Created the partner profile %(object)s"),
    "partner_profile.updated": _("Changed the partner profile %(object)s"),
    "relationship.end_request_resolved": _("Resolved the request to end %(object)s"),
    "relationship.end_requested": _("Asked %(partner)s to end the relationship"),
    "relationship.types_ended": _("Ended %(ended)s between %(object)s"),
    "security_group.created": _("Created the security group “%(name)s”"),
    "security_group.deleted": _("Deleted the security group “%(before_name)s”"),
    "security_group.members_changed": _("Changed the members of the security group “%(object)s”"),
    "security_group.renamed": _("Renamed the security group “%(before_name)s” to “%(name)s”"),
    "subscription.cancelled": _("Cancelled the subscription %(object)s"),
    "subscription.purchased": _("Bought %(quantity)s of %(object)s"),
    "subscription.quantity_changed": _(
        "Changed the quantity of %(object)s from %(before_quantity)s to %(quantity)s"
    ),
    "subscription.reactivated": _("Reactivated the subscription %(object)s"),
    "subscription.suspended": _("Suspended the subscription %(object)s"),
    "support_request.closed": _("Closed the support request %(object)s"),
    "support_request.commented": _("Commented on the support request %(object)s"),
    "support_request.created": _("Opened the support request “%(title)s” (%(severity)s)"),
    "support_request.reopened": _("Reopened the support request %(object)s"),
    "tenant.created": _("Created the tenant %(name)s"),
    "user.credentials_revoked": _(
        "Ended the tokens and sessions of %(object)s (%(reason)s): "
        "%(tokens_revoked)s tokens revoked"
    ),
    "user.email_changed": _("Changed their email address"),
    "user.email_confirmed": _("Confirmed their email address"),
    "user.language_changed": _("Changed their language to %(language)s"),
    "user.mfa_added": _("Added two-factor authentication"),
    "user.mfa_removed": _("Removed two-factor authentication"),
    "user.mfa_reset": _("Renewed their recovery codes"),
    "user.password_changed": _("Changed their password"),
    "user.password_reset": _("Reset the password of %(email)s"),
    "user.password_reset_by_link": _("Reset their password through the emailed link"),
    "user.password_set": _("Set their password"),
    "user.sign_in_failed": _("A sign-in failed"),
    "user.signed_in": _("Signed in"),
    "user.signed_up": _("Signed up"),
}

# Words the sentences put in their placeholders.
SWITCHED = {True: pgettext_lazy("auto-extend", "on"), False: pgettext_lazy("auto-extend", "off")}
