"""Rule packs: the schema (``schema``), the loader (``load``) and the compiled form (``model``)."""
