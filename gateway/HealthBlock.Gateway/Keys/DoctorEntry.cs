using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Keys;

/// <summary>A doctor as the patient's gateway knows it.</summary>
/// <param name="Id">The doctor's identity id.</param>
/// <param name="Identity">Its public keys (from its registration).</param>
/// <param name="DiagnosisKey">The diagnosis key the patient issued to it.</param>
/// <param name="Authorised">True while the doctor holds envelopes of the current epoch.</param>
public sealed record DoctorEntry(IdentityId Id, PublicIdentity Identity, byte[] DiagnosisKey, bool Authorised);
