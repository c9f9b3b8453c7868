using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace HealthBlock.Web.Hosting;

/// <summary>The session cookie of a role's page (ASP.NET Core cookie authentication).</summary>
internal static class PageSession
{
    public const string PatientScheme = "hb-patient";
    public const string DoctorScheme = "hb-doctor";

    public static string Scheme(PageRole role) => role == PageRole.Patient ? PatientScheme : DoctorScheme;

    public static string Root(PageRole role) => role == PageRole.Patient ? "/patient" : "/doctor";

    /// <summary>Signs the identity in: the cookie is issued with the response.</summary>
    public static Task SignInAsync(HttpContext context, PageRole role, string identity, string how)
    {
        var claims = new ClaimsIdentity([new Claim(ClaimTypes.Name, identity), new Claim(ClaimTypes.AuthenticationMethod, how)], Scheme(role));
        return context.SignInAsync(Scheme(role), new ClaimsPrincipal(claims));
    }

    /// <summary>The session cookie's name for <paramref name="identity"/>.</summary>
    public static string CookieName(PageRole role, string identity) => Scheme(role) + "-" + identity[..Math.Min(16, identity.Length)];

    public static Task SignOutAsync(HttpContext context, PageRole role) => context.SignOutAsync(Scheme(role));

    /// <summary>
    /// The cookie of <paramref name="identity"/>'s page: named after the identity (browsers share cookies between
    /// ports of one host, so two nodes on one machine must not overwrite each other's), and a cookie is accepted only
    /// when it names this identity — a session opened on another patient's node does not open this one.
    /// </summary>
    public static void Configure(CookieAuthenticationOptions cookie, PageRole role, string identity)
    {
        cookie.Cookie.Name = CookieName(role, identity);
        cookie.Events.OnValidatePrincipal = context =>
        {
            if (context.Principal?.Identity?.Name != identity)
            {
                context.RejectPrincipal();
            }

            return Task.CompletedTask;
        };
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.Cookie.Path = Root(role);
        cookie.LoginPath = Root(role) + "/login";
        cookie.LogoutPath = Root(role) + "/logout";
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
    }
}
