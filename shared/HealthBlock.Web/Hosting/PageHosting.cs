using HealthBlock.Web.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HealthBlock.Web;

/// <summary>
/// Puts a role's page on an ASP.NET Core host: <c>services.AddPatientPages(records, login)</c> (or the doctor's) while
/// building, then <c>app.MapPatientPages()</c>. The pages are Razor Pages of this assembly; the plots read JSON from
/// <c>/patient/api/…</c> or <c>/doctor/api/…</c>; scripts and styles come from the assembly (<c>/assets/…</c>). Every page
/// but the login needs the role's session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS), and every form
/// carries an antiforgery token that is checked.
/// </summary>
public static class PageHosting
{
    /// <summary>Registers the patient page's services.</summary>
    public static IServiceCollection AddPatientPages(this IServiceCollection services, IPatientRecords records, Login.PageLogin login)
    {
        ArgumentNullException.ThrowIfNull(records);
        services.AddSingleton(records);
        return AddPages(services, PageRole.Patient, login);
    }

    /// <summary>Registers the doctor page's services.</summary>
    public static IServiceCollection AddDoctorPages(this IServiceCollection services, IDoctorRecords records, Login.PageLogin login)
    {
        ArgumentNullException.ThrowIfNull(records);
        services.AddSingleton(records);
        return AddPages(services, PageRole.Doctor, login);
    }

    /// <summary>Maps the patient page (<c>/patient</c>), its data (<c>/patient/api/…</c>) and the assets.</summary>
    public static IEndpointRouteBuilder MapPatientPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        PageAssets.Map(endpoints);
        PatientApi.Map(endpoints);
        endpoints.MapRazorPages();
        return endpoints;
    }

    /// <summary>Maps the doctor page (<c>/doctor</c>), its data (<c>/doctor/api/…</c>) and the assets.</summary>
    public static IEndpointRouteBuilder MapDoctorPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        PageAssets.Map(endpoints);
        DoctorApi.Map(endpoints);
        endpoints.MapRazorPages();
        return endpoints;
    }

    private static IServiceCollection AddPages(IServiceCollection services, PageRole role, Login.PageLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        services.AddSingleton(login);
        var scheme = PageSession.Scheme(role);
        var folder = role == PageRole.Patient ? "/Patient" : "/Doctor";
        var other = role == PageRole.Patient ? "/Doctor" : "/Patient";
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder(folder, PagePolicy);
            o.Conventions.AllowAnonymousToPage(folder + "/Login");
            o.Conventions.AddFolderRouteModelConvention(other, m => m.Selectors.Clear());
        }).AddApplicationPart(typeof(PageHosting).Assembly);
        services.AddAuthentication(scheme).AddCookie(scheme, c => PageSession.Configure(c, role, login.Identity.ToString()));
        // Cookies and antiforgery tokens are sealed with keys that live only in this process: a session ends with the
        // node, and no key ring on disk is shared with any other node of the machine.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthorization(o => o.AddPolicy(PagePolicy, p => p.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hb-antiforgery-" + PageSession.CookieName(role, login.Identity.ToString());
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton(new PageRoleMarker(role));
        return services;
    }

    /// <summary>The authorization policy every page and data route of the role requires.</summary>
    internal const string PagePolicy = "hb-page";
}
