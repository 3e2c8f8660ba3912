"""Partner relationships, invitations, end requests and GDAP move here from partners and roles."""

import datetime
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("partners", "0005_move_relationships_out"),
        ("roles", "0004_move_gdap_out"),
        ("tenants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The models came from partners (partner relationships, invitations, requests to end)
    # and roles (GDAP). Their tables keep their names (Meta.db_table), so only Django's
    # model state moves here; the database is not touched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DelegatedAdminRelationship',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('display_name', models.CharField(max_length=50, verbose_name='display name')),
                        ('duration', models.DurationField(verbose_name='duration')),
                        ('auto_extend_duration', models.DurationField(default=datetime.timedelta(0), verbose_name='auto-extend')),
                        ('status', models.CharField(choices=[('created', 'Created'), ('approval_pending', 'Approval pending'), ('active', 'Active'), ('declined', 'Declined'), ('expired', 'Expired'), ('terminated', 'Terminated')], db_index=True, default='created', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('activated_at', models.DateTimeField(blank=True, null=True, verbose_name='activated')),
                        ('end_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='ends')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended')),
                        ('last_modified_at', models.DateTimeField(auto_now=True, verbose_name='last modified')),
                        ('last_reminder_days', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('approved_roles', models.ManyToManyField(blank=True, related_name='+', to='roles.roledefinition', verbose_name='approved roles')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='gdap_relationships_as_customer', to='tenants.tenant', verbose_name='customer')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='gdap_relationships_as_partner', to='tenants.tenant', verbose_name='partner')),
                        ('requested_roles', models.ManyToManyField(related_name='+', to='roles.roledefinition', verbose_name='requested roles')),
                    ],
                    options={
                        'verbose_name': 'delegated admin relationship',
                        'verbose_name_plural': 'delegated admin relationships',
                        'db_table': 'roles_delegatedadminrelationship',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AccessAssignment',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('last_modified_at', models.DateTimeField(auto_now=True, verbose_name='last modified')),
                        ('roles', models.ManyToManyField(related_name='+', to='roles.roledefinition', verbose_name='roles')),
                        ('security_group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_assignments', to='tenants.securitygroup')),
                        ('relationship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_assignments', to='relationships.delegatedadminrelationship')),
                    ],
                    options={
                        'verbose_name': 'access assignment',
                        'verbose_name_plural': 'access assignments',
                        'db_table': 'roles_accessassignment',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='invited email')),
                        ('relationship_types', models.JSONField(default=list, verbose_name='relationship types')),
                        ('message', models.TextField(blank=True, max_length=2000, verbose_name='message')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('cancelled', 'Cancelled'), ('expired', 'Expired')], db_index=True, default='pending', max_length=12, verbose_name='status')),
                        ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent')),
                        ('last_sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last sent')),
                        ('resent_count', models.PositiveIntegerField(default=0, verbose_name='times resent')),
                        ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('accepted_tenant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenants.tenant', verbose_name='accepted for')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='received_invitations', to='tenants.tenant', verbose_name='customer')),
                        ('gdap_relationship', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitation', to='relationships.delegatedadminrelationship', verbose_name='GDAP request')),
                        ('lead', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitations', to='partners.lead', verbose_name='lead')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sent_invitations', to='tenants.tenant', verbose_name='partner')),
                        ('responded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                        'db_table': 'partners_invitation',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='PartnerRelationship',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('types', models.JSONField(blank=True, default=list, verbose_name='relationship types')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_relationships', to='tenants.tenant', verbose_name='customer')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='customer_relationships', to='tenants.tenant', verbose_name='partner')),
                    ],
                    options={
                        'verbose_name': 'partner relationship',
                        'verbose_name_plural': 'partner relationships',
                        'db_table': 'partners_partnerrelationship',
                        'ordering': ['-started_at'],
                    },
                ),
                migrations.CreateModel(
                    name='EndRequest',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('message', models.TextField(blank=True, max_length=2000, verbose_name='message')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('resolved', 'Resolved')], default='open', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('relationship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='end_requests', to='relationships.partnerrelationship')),
                    ],
                    options={
                        'verbose_name': 'request to end a relationship',
                        'verbose_name_plural': 'requests to end a relationship',
                        'db_table': 'partners_endrequest',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddIndex(
                    model_name='delegatedadminrelationship',
                    index=models.Index(fields=['customer', 'status', 'end_at'], name='gdap_customer_status_end'),
                ),
                migrations.AddIndex(
                    model_name='delegatedadminrelationship',
                    index=models.Index(fields=['status', 'end_at'], name='gdap_status_end'),
                ),
                migrations.AddConstraint(
                    model_name='delegatedadminrelationship',
                    constraint=models.UniqueConstraint(fields=('partner', 'display_name'), name='gdap_unique_display_name'),
                ),
                migrations.AddConstraint(
                    model_name='accessassignment',
                    constraint=models.UniqueConstraint(fields=('relationship', 'security_group'), name='assignment_unique_group'),
                ),
                migrations.AddIndex(
                    model_name='invitation',
                    index=models.Index(fields=['partner', '-created_at'], name='invitation_partner_time'),
                ),
                migrations.AddConstraint(
                    model_name='partnerrelationship',
                    constraint=models.UniqueConstraint(fields=('customer', 'partner'), name='partner_relationship_unique_pair'),
                ),
            ],
            database_operations=[],
        ),
    ]
