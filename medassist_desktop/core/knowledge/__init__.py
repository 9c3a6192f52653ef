"""The knowledge base: ingest, chunking, embeddings and retrieval of reference documents."""
