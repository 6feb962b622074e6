"""Authentication: sessions (sid cookie + CSRF token), password login with rate limit and
lockout, API keys (token / Basic), password policy, login/logout log.

Web-independent: the web layer calls these with a Context and request facts (ip, headers).
"""
