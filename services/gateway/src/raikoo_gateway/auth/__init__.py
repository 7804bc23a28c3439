"""Who is calling, and what they may do: API keys and sign-in sessions become a
``Principal``; every route declares the role it needs (``policy``)."""
