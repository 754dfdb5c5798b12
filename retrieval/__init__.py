"""Retrieval: loaders, Japanese normalisation and tokenising, chunking, embeddings,
stores (Chroma), the keyword index (BM25), fusion, and the index on disk.

Data flows one way: files → loaders → chunks (with locators) → index → retriever.
"""
