using HealthBlock.Alerts;
using HealthBlock.Ledger;

namespace HealthBlock.Cli;

/// <summary>
/// What <c>healthblock audit</c> says about the live citation rule (<see cref="LiveCitationAudit"/>,
/// docs/design-notes/ledger-growth.md): citations backed, still pending, and one line and one alert per problem.
/// </summary>
internal static class LiveCitationReport
{
    /// <summary>Writes the result; returns true when no citation is a problem.</summary>
    /// <param name="context">The CLI's output.</param>
    /// <param name="alerts">Where a problem is raised.</param>
    /// <param name="citations">The rule, fed with every block the audit read (and, with a store, the leaves checked).</param>
    /// <param name="leavesChecked">True when the cited hashes were also checked against the stored period bundles.</param>
    /// <param name="ledgerUrl">The ledger audited (for the alert).</param>
    public static async Task<bool> WriteAsync(CliContext context, AlertHub alerts, LiveCitationAudit citations, bool leavesChecked, string ledgerUrl)
    {
        foreach (var problem in citations.Problems)
        {
            await context.Out.WriteLineAsync($"CITATION PROBLEM: {problem}").ConfigureAwait(false);
            alerts.Raise(new Alert(AlertKind.AuditMismatch, $"Ledger audit of {ledgerUrl}: {problem}")
            {
                Node = ledgerUrl,
                Details = new Dictionary<string, string> { ["diagnosis"] = problem.Diagnosis, ["patient"] = problem.Patient.ToString(), ["sequence"] = problem.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        var leaves = leavesChecked ? "cited hashes checked against the stored bundles" : "cited hashes not checked against the stored bundles (no --store)";
        await context.Out.WriteLineAsync($"live citations: {citations.Backed} backed, {citations.Pending} pending (deadline after the last block), {citations.Problems.Count} problems; {leaves}").ConfigureAwait(false);
        return citations.Problems.Count == 0;
    }
}
