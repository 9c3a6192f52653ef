"""The knowledge base: ingest, chunking, embeddings, hybrid retrieval, citations."""
