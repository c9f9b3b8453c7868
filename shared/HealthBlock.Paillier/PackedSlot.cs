namespace HealthBlock.Paillier;

/// <summary>A counter's place in a packed plaintext: bits [Offset, Offset + Width) hold its value or cohort sum.</summary>
/// <param name="Name">What the counter counts.</param>
/// <param name="MaxPerPatientPeriod">The largest value one patient-period may contribute.</param>
/// <param name="MaxSum">The largest sum the layout allows: <paramref name="MaxPerPatientPeriod"/> × patients × periods.</param>
/// <param name="Offset">The slot's lowest bit.</param>
/// <param name="Width">The slot's bits: the bit length of <paramref name="MaxSum"/>, so the largest sum never carries out.</param>
public sealed record PackedSlot(string Name, long MaxPerPatientPeriod, long MaxSum, int Offset, int Width);
