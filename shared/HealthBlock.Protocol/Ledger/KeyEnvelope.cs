using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>One authorised doctor's envelopes in a key transaction.</summary>
/// <param name="Doctor">The doctor.</param>
/// <param name="IotKey">The epoch's IoT key sealed to the doctor (<see cref="Envelope"/>, purpose IotKey).</param>
/// <param name="DiagnosisKey">That doctor's diagnosis key sealed to the doctor (purpose DiagnosisKey).</param>
public sealed record KeyEnvelope(IdentityId Doctor, byte[] IotKey, byte[] DiagnosisKey);
