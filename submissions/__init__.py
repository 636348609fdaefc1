"""One save per rendered form: a double click, or the same form sent again, creates nothing more.

A form that creates something mixes in `forms.SubmittedOnce`. Rendered for a request, it carries
a hidden random key, new each time the empty form is shown; `core.views.saved` runs the write
through the form, which claims the key (a `FormSubmission` row, unique) in the write's own
transaction and keeps what was created under it. The same rendered form sent again – a second
click, the browser's "send again", two requests at once – finds its key taken: nothing is
written, and the view is handed what the first sending created, so the user lands where the
first one went. The nightly housekeeping deletes keys after `services.KEPT_FOR`.

The layer below networks: it knows no app of the domain (core has no models, so the table is here).
"""
