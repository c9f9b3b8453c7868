using System.Text.Json;
using HealthBlock.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HealthBlock.Web.Pages.Doctor;

/// <summary>
/// One patient on the doctor page: findings newest first, each with the ECG strip it came from (R peaks and the
/// finding's span marked), the heart-rate trend, blood pressure and temperature, and the sign-off note form. Only a
/// patient who grants the doctor now is shown; anyone else is answered 403.
/// </summary>
public sealed class PatientModel(IDoctorRecords records) : PageModel
{
    /// <summary>Seconds of ECG shown on each side of a finding's span.</summary>
    public const int StripMarginMs = 2000;

    /// <summary>The patient.</summary>
    public string Patient { get; private set; } = "";

    /// <summary>Why the patient is not shown, or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The doctor's diagnoses of the patient (not notes), newest first.</summary>
    public IReadOnlyList<DiagnosisView> Diagnoses { get; private set; } = [];

    /// <summary>Notes by the diagnosis they follow.</summary>
    public ILookup<string, DiagnosisView> Notes { get; private set; } = Array.Empty<DiagnosisView>().ToLookup(d => d.TransactionId);

    /// <summary>The heart-rate trend as JSON (<c>[[unix s, bpm], …]</c>) for the chart.</summary>
    public string HeartRateJson { get; private set; } = "[]";

    /// <summary>The note the last post committed, or null.</summary>
    public CommittedAction? Committed { get; private set; }

    /// <summary>Why the last note was refused, or null.</summary>
    public string? NoteRefusal { get; private set; }

    /// <summary>Start of the strip shown for a finding.</summary>
    public static long StripFrom(FindingView finding) => (finding?.StartMs ?? 0) - StripMarginMs;

    /// <summary>End of the strip shown for a finding.</summary>
    public static long StripTo(FindingView finding) => (finding?.EndMs ?? 0) + StripMarginMs;

    /// <summary>Shows the patient.</summary>
    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false);

    /// <summary>Publishes a sign-off note on one of the doctor's diagnoses.</summary>
    public async Task<IActionResult> OnPostNoteAsync(string? id, string? diagnosis, string? text, CancellationToken cancellationToken)
    {
        try
        {
            await DoctorAccess.CheckAsync(records, id, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(diagnosis) || string.IsNullOrWhiteSpace(text))
            {
                throw new PageActionException("A note needs a diagnosis and some text.");
            }

            Committed = await records.AddNoteAsync(diagnosis, text, cancellationToken).ConfigureAwait(false);
        }
        catch (PageActionException e)
        {
            NoteRefusal = e.Message;
        }
        catch (PageAccessException)
        {
            // LoadAsync answers 403 below.
        }

        return await LoadAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IActionResult> LoadAsync(string? id, CancellationToken cancellationToken)
    {
        ViewData["Identity"] = records.Doctor;
        ViewData["LogoutPage"] = "/Doctor/Index";
        Patient = id ?? "";
        try
        {
            await DoctorAccess.CheckAsync(records, id, cancellationToken).ConfigureAwait(false);
        }
        catch (PageAccessException e)
        {
            Refusal = e.Message;
            Response.StatusCode = 403;
            return Page();
        }

        var all = await records.DiagnosesAsync(Patient, cancellationToken).ConfigureAwait(false);
        Notes = all.Where(d => d.IsNote && d.Follows is not null).ToLookup(d => d.Follows!, StringComparer.Ordinal);
        Diagnoses = [.. all.Where(d => !d.IsNote).Reverse()];
        HeartRateJson = JsonSerializer.Serialize(all.SelectMany(d => d.HeartRates).OrderBy(h => h.TimeMs).Select(h => new[] { h.TimeMs / 1000.0, h.Bpm }));
        return Page();
    }
}
