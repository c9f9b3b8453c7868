using HealthBlock.Web.Hosting;
using HealthBlock.Web.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace HealthBlock.Web.Pages;

/// <summary>
/// The login of a role's page: the key file's passphrase (posted, with the antiforgery token) or a one-time token in
/// the link (devnet). Success issues the session cookie and goes to the page; a refusal is counted and shown.
/// </summary>
public sealed class LoginModel : PageModel
{
    private readonly PageLogin _login;
    private readonly PageRole _role;

    /// <summary>Created by the host for each request.</summary>
    public LoginModel(PageLogin login, IServiceProvider services)
    {
        _login = login;
        _role = services.GetRequiredService<PageRoleMarker>().Role;
    }

    /// <summary>Why the last attempt was refused, or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>True when a key file's passphrase can unlock the page.</summary>
    public bool TakesPassphrase => _login.KeyFile is not null;

    /// <summary>The identity whose page it is.</summary>
    public string Identity => _login.Identity.ToString();

    /// <summary>Whose page: patient or doctor.</summary>
    public string RoleName => _role == PageRole.Patient ? "patient" : "doctor";

    /// <summary>Shows the form, or signs in with a one-time token from the link.</summary>
    public async Task<IActionResult> OnGetAsync(string? token)
    {
        if (token is null)
        {
            return Page();
        }

        if (_login.CheckToken(token))
        {
            await PageSession.SignInAsync(HttpContext, _role, Identity, "token").ConfigureAwait(false);
            return Redirect(PageSession.Root(_role));
        }

        Refusal = "This login link is not valid: it was used already, has expired, or was never issued.";
        Response.StatusCode = 401;
        return Page();
    }

    /// <summary>Checks the passphrase.</summary>
    public async Task<IActionResult> OnPostAsync(string? passphrase)
    {
        if (_login.CheckPassphrase(passphrase))
        {
            await PageSession.SignInAsync(HttpContext, _role, Identity, "passphrase").ConfigureAwait(false);
            return Redirect(PageSession.Root(_role));
        }

        Refusal = "Refused: that passphrase does not open this key file.";
        Response.StatusCode = 401;
        return Page();
    }
}
