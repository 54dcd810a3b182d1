from django import template

from portal.home.sections import sections

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Home, one link per section with a live index page, countries, search."""
    request = context.get("request")
    path = request.path if request else ""
    links = []
    for section in sections():
        if section.index:
            url = section.index.get_url(request=request)
            links.append({"url": url, "title": section.index.title, "current": path.startswith(url)})
    return {"links": links}
