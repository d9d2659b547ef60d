"""The transactional outbox: citizens' notifications (WhatsApp, SMS, e-mail) with their consent,
and signed webhooks. Rows are written in the transaction of the event behind them
(``notices``); a worker delivers them (``worker``) through providers (``providers``)."""
