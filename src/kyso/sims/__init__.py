"""The agency's SIM PKI subscriptions (phone, carrier, SIM, certificate) and data plans by title, for payment (letter 346)."""
