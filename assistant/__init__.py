"""Customer-service reply assistant: manual retrieval, drafting, review and audit."""
