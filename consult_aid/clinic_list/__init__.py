"""Clinic lists: the CSV a secretary exports, read and checked row by row.

Standard library and the domain only, so the command line can check a whole
file before the database (and its slow imports) is needed. Reading never
writes anything; importing is the services' work.
"""
