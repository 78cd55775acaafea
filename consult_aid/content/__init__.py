"""Content packs: the YAML schema and the loader that turns a pack file into domain objects.

``loader`` is the way in (``load_pack_file``, ``load_pack_text``, ``PackError``);
``bundled`` finds the packs shipped in resources/procedures; ``check_command``
prints every problem in a pack for the person editing it. Behind them:
``yaml_reading`` (strict YAML with lines), ``schema`` (the shape, as pydantic
models), ``schema_messages`` (schema errors in plain English), ``pack_rules``
(rules across the pack), ``places`` (readable places) and ``to_domain``.
"""
