namespace HealthBlock.Web;

/// <summary>A doctor the patient granted at some time.</summary>
/// <param name="Doctor">Its identity id.</param>
/// <param name="Name">Its registered name.</param>
/// <param name="Authorised">True while it holds envelopes of the current epoch.</param>
/// <param name="GrantedMs">When the patient's key transaction that last granted it committed (block time), or null.</param>
/// <param name="Epoch">The epoch of that key transaction, or null.</param>
/// <param name="Credit">Its paid credit for diagnoses of this patient.</param>
public sealed record DoctorView(string Doctor, string Name, bool Authorised, long? GrantedMs, uint? Epoch, ulong Credit);
