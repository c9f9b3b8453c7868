namespace HealthBlock.Web.Pages;

/// <summary>A grant, payment or revocation the patient asked for, waiting for confirmation.</summary>
/// <param name="Action">grant, pay or revoke.</param>
/// <param name="Doctor">The doctor's identity id.</param>
/// <param name="Amount">Healthcoin (payments only).</param>
/// <param name="Question">What the confirmation asks, in words.</param>
public sealed record PendingAction(string Action, string Doctor, ulong Amount, string Question);
