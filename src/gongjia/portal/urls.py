from django.urls import path

from gongjia.assistance import views as assistance_views
from gongjia.honours import views as honours_views
from gongjia.members import views as member_views
from gongjia.portal import views
from gongjia.rights import views as rights_views
from gongjia.services import views as services_views
from gongjia.skills import views as skills_views
from gongjia.training import views as training_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("member/", member_views.card, name="member-card"),
    path("member/apply/", member_views.apply, name="member-apply"),
    path("member/print/<str:which>/", member_views.own_paper, name="member-print"),
    path("register/", member_views.register, name="register"),
    path("identity/", member_views.declare, name="identity"),
    path("assistance/", assistance_views.my_file, name="assistance-mine"),
    path("assistance/apply/", assistance_views.apply, name="assistance-apply"),
    path("assistance/pairings/", assistance_views.my_pairings, name="assistance-pairings"),
    path(
        "assistance/pairings/<int:pk>/visit/",
        assistance_views.log_visit,
        name="assistance-visit",
    ),
    path("rights/", rights_views.my_requests, name="rights-mine"),
    path("rights/new/", rights_views.new_request, name="rights-new"),
    path("rights/<int:pk>/", rights_views.request_detail, name="rights-request"),
    path("rights/negotiations/", rights_views.negotiation_room, name="rights-room"),
    path("rights/negotiations/<int:pk>/demand/", rights_views.send_demand, name="rights-demand"),
    path("rights/ballots/<int:pk>/vote/", rights_views.vote, name="rights-vote"),
    path("skills/", skills_views.mine, name="skills-mine"),
    path("skills/events/<int:pk>/enter/", skills_views.enter, name="skills-enter"),
    path("skills/entries/<int:pk>/appeal/", skills_views.appeal, name="skills-appeal"),
    path(
        "skills/entries/<int:pk>/certificate/",
        skills_views.certificate,
        name="skills-certificate",
    ),
    path("training/", training_views.mine, name="training-mine"),
    path("training/classes/<int:pk>/enrol/", training_views.enrol, name="training-enrol"),
    path("training/checkin/<str:token>/", training_views.checkin, name="training-checkin"),
    path(
        "training/certificates/<int:pk>/",
        training_views.certificate,
        name="training-certificate",
    ),
    path("honours/", honours_views.mine, name="honours-mine"),
    path("services/", services_views.mine, name="services-mine"),
    path("services/book/", services_views.book, name="services-book"),
    path("services/bookings/<str:number>/cancel/", services_views.cancel, name="services-cancel"),
    path("services/shifts/<int:pk>/sign-up/", services_views.sign_up, name="services-sign-up"),
    path("services/shifts/<int:pk>/check-in/", services_views.check_in, name="services-check-in"),
    path("rest-stations/", services_views.stations, name="rest-stations"),
    path("honours/places/<int:pk>/apply/", honours_views.apply, name="honours-apply"),
    # Public: anyone holding a certificate's code checks it here, signed in or not.
    path("verify/", training_views.verify, name="training-verify"),
]
