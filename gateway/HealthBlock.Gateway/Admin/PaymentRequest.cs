namespace HealthBlock.Gateway.Admin;

/// <summary>Pay a doctor.</summary>
/// <param name="Doctor">The doctor's identity id.</param>
/// <param name="Amount">Healthcoin.</param>
public sealed record PaymentRequest(string Doctor, ulong Amount);
