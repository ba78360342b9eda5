# The letters and calls typed into the admin were copied into the mailbox and the hotline by those apps' first
# migrations (mailbox 0001 copy_engagement_letters, hotline 0001 copy_hotline_calls), which must run first.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('engagement', '0002_responses_posts_interpretations'),
        ('hotline', '0001_initial'),
        ('mailbox', '0001_initial'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='mailboxletter',
            name='body',
        ),
        migrations.DeleteModel(
            name='HotlineCall',
        ),
        migrations.DeleteModel(
            name='MailboxLetter',
        ),
    ]
