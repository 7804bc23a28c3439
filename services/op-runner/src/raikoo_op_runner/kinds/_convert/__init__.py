"""The ``convert`` kind's machinery: input resolution, readers, writers and text extraction."""
