using HealthBlock.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HealthBlock.Web.Pages.Doctor;

/// <summary>The doctor page: the patients who granted the doctor, newest finding first.</summary>
public sealed class IndexModel(IDoctorRecords records) : PageModel
{
    /// <summary>The patients, newest finding first.</summary>
    public IReadOnlyList<PatientSummary> Patients { get; private set; } = [];

    /// <summary>Shows the page.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Identity"] = records.Doctor;
        ViewData["LogoutPage"] = "/Doctor/Index";
        Patients = [.. (await records.PatientsAsync(cancellationToken).ConfigureAwait(false)).OrderByDescending(p => p.NewestFindingMs ?? long.MinValue)];
    }

    /// <summary>Ends the session.</summary>
    public async Task<IActionResult> OnPostLogoutAsync()
    {
        await PageSession.SignOutAsync(HttpContext, PageRole.Doctor).ConfigureAwait(false);
        return Redirect("/doctor/login");
    }
}
