"""Remote signing (CSC API v1/v2, SCAL2) and SIM PKI (ETSI TS 102 204) with a phone simulator, per letter 346/BHXH-CNTT."""
