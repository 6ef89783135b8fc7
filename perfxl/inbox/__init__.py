"""What arrives in the inbox, before any form is read: discovery (archives
opened in place), the content-hash cache of earlier runs, resubmissions."""
