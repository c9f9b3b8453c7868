using HealthBlock.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HealthBlock.Web.Pages.Patient;

/// <summary>
/// The patient page: devices, the live ECG strip and the history (ECG, blood pressure, temperature), diagnoses with the
/// doctors' notes, doctors with grant, pay and revoke (each confirmed, then the committed transaction shown), and the
/// access trail.
/// </summary>
public sealed class IndexModel(IPatientRecords records) : PageModel
{
    /// <summary>Diagnoses shown (newest first).</summary>
    public const int ShownDiagnoses = 30;

    /// <summary>The patient.</summary>
    public string Patient => records.Patient;

    /// <summary>Paired devices.</summary>
    public IReadOnlyList<DeviceView> Devices { get; private set; } = [];

    /// <summary>The newest diagnoses (not notes), newest first.</summary>
    public IReadOnlyList<DiagnosisView> Diagnoses { get; private set; } = [];

    /// <summary>Every diagnosis, notes included.</summary>
    public int DiagnosisCount { get; private set; }

    /// <summary>Notes by the diagnosis they follow.</summary>
    public ILookup<string, DiagnosisView> Notes { get; private set; } = Array.Empty<DiagnosisView>().ToLookup(d => d.TransactionId);

    /// <summary>Doctors ever granted.</summary>
    public IReadOnlyList<DoctorView> Doctors { get; private set; } = [];

    /// <summary>The access trail, newest first.</summary>
    public IReadOnlyList<TrailEntry> Trail { get; private set; } = [];

    /// <summary>An action waiting for confirmation, or null.</summary>
    public PendingAction? Pending { get; private set; }

    /// <summary>The transaction the last confirmed action committed, or null.</summary>
    public CommittedAction? Committed { get; private set; }

    /// <summary>Why the last action was refused, or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Shows the page.</summary>
    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>Asks to confirm a grant, payment or revocation.</summary>
    public async Task<IActionResult> OnPostPrepareAsync(string action, string doctor, ulong? amount, CancellationToken cancellationToken)
    {
        try
        {
            Pending = Describe(action, doctor, amount);
        }
        catch (PageActionException e)
        {
            Refusal = e.Message;
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    /// <summary>Carries out a confirmed action and shows the committed transaction.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string action, string doctor, ulong? amount, CancellationToken cancellationToken)
    {
        try
        {
            var checkedAction = Describe(action, doctor, amount);
            Committed = checkedAction.Action switch
            {
                "grant" => await records.GrantAsync(doctor, cancellationToken).ConfigureAwait(false),
                "revoke" => await records.RevokeAsync(doctor, cancellationToken).ConfigureAwait(false),
                _ => await records.PayAsync(doctor, checkedAction.Amount, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (PageActionException e)
        {
            Refusal = e.Message;
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return Page();
    }

    /// <summary>Ends the session.</summary>
    public async Task<IActionResult> OnPostLogoutAsync()
    {
        await PageSession.SignOutAsync(HttpContext, PageRole.Patient).ConfigureAwait(false);
        return Redirect("/patient/login");
    }

    private static PendingAction Describe(string action, string doctor, ulong? amount)
    {
        if (string.IsNullOrWhiteSpace(doctor))
        {
            throw new PageActionException("Name a doctor (its identity id).");
        }

        return action switch
        {
            "grant" => new PendingAction("grant", doctor, 0, $"Grant doctor {doctor}? A key transaction starts a new epoch with a new IoT key and sends keys to every authorised doctor, this one included."),
            "revoke" => new PendingAction("revoke", doctor, 0, $"Revoke doctor {doctor}? A key transaction starts a new epoch with a new IoT key that this doctor does not receive."),
            "pay" when amount is > 0 => new PendingAction("pay", doctor, amount.Value, $"Pay doctor {doctor} {amount} Healthcoin (credit for its diagnoses)?"),
            "pay" => throw new PageActionException("A payment needs an amount above 0."),
            _ => throw new PageActionException($"'{action}' is not an action (grant, pay or revoke)."),
        };
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Identity"] = records.Patient;
        ViewData["LogoutPage"] = "/Patient/Index";
        Devices = await records.DevicesAsync(cancellationToken).ConfigureAwait(false);
        var all = await records.DiagnosesAsync(cancellationToken).ConfigureAwait(false);
        DiagnosisCount = all.Count;
        Notes = all.Where(d => d.IsNote && d.Follows is not null).ToLookup(d => d.Follows!, StringComparer.Ordinal);
        Diagnoses = [.. all.Where(d => !d.IsNote).Reverse().Take(ShownDiagnoses)];
        Doctors = await records.DoctorsAsync(cancellationToken).ConfigureAwait(false);
        Trail = [.. (await records.TrailAsync(cancellationToken).ConfigureAwait(false)).Reverse()];
    }
}
