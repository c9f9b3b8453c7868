namespace HealthBlock.Crypto.Requests;

/// <summary>A signed request refused, with why.</summary>
/// <param name="Fault">What was wrong.</param>
/// <param name="Message">The same in words, for the caller and the log.</param>
public sealed record SignedRequestRefusal(SignedRequestFault Fault, string Message);
