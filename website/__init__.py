"""The reader's site: home page, section navigation, country pages, figures
(map and charts), feeds and the sitemap. Top floor: stands on the content
apps, search and the ground; the API and operations stand beside or above it.
"""
