"""The secretary's clinic list: import a CSV of patients, then their pre-clinic leaflets."""
