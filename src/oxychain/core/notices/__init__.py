"""Notices: what the system tells a person, in the app (the bell) and by email and SMS.

A notice is written in the transaction of the change behind it (``uow.notices.notify``),
with one delivery row per outside channel the person has chosen: the outbox. The worker
sends the outbox (``delivery``) through the channels' adapters (``channels``: SMTP, an SMS
gateway over HTTP), retrying with backoff while a server is down; a delivery that keeps
failing is shown to the admin with its error. A notice's text is an English template with
its parameters (``text``), read in the person's language: Hindi or English, as they chose.
"""
