"""Content packs: the YAML schema and the loader that turns a pack file into domain objects."""
