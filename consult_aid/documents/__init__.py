"""PDF documents: the personalised leaflet and the record of discussion.

Domain objects in, PDF bytes out. This package uses ReportLab, the domain and
consult_aid.paths only: no Qt, no database, no services, so that documents can
be built headless (batch printing, command line) and on any thread.
"""
