from django.urls import path

from gongjia.members import views as member_views
from gongjia.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("member/", member_views.card, name="member-card"),
    path("member/apply/", member_views.apply, name="member-apply"),
]
