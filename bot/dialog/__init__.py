"""The conversation, free of any messenger: inputs in, `Response`s out (see `router.Dialog`)."""
