using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>
/// The AD8232 front end at its pins: <see cref="Output"/> is the ADC channel on OUTPUT, <see cref="LeadOffPlus"/> and
/// <see cref="LeadOffMinus"/> the LO+ / LO- comparator pins. It plays an <see cref="IEcgSource"/> one sample per
/// conversion: the electrode voltage × gain around the mid-rail reference, quantised like a 12-bit 3.3 V ADC.
/// </summary>
/// <remarks>
/// The pins show the state of the sample the next conversion returns, and a conversion moves to the next sample:
/// read LO+ and LO- first, then OUTPUT (as <see cref="Ad8232FrontEnd"/> does). While an electrode is off LO+ is
/// high and OUTPUT sits on the positive rail, as the AD8232 does in DC lead-off detection. At the end of a finite
/// source it starts again from the beginning.
/// </remarks>
public sealed class EcgAdcEmulator
{
    private readonly IEcgSource _source;
    private readonly Ad8232Conversion _conversion;
    private long _position;

    /// <summary>Plays <paramref name="source"/> through <paramref name="conversion"/> (default: gain 100, 12 bits, 3.3 V).</summary>
    public EcgAdcEmulator(IEcgSource source, Ad8232Conversion? conversion = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _conversion = conversion ?? new Ad8232Conversion();
        Output = new OutputChannel(this);
        LeadOffPlus = new Pin(this);
        LeadOffMinus = new Pin(null);
        FrontEnd = new Ad8232FrontEnd(Output, LeadOffPlus, LeadOffMinus);
    }

    /// <summary>The ADC channel wired to OUTPUT.</summary>
    public IAdcChannel Output { get; }

    /// <summary>The LO+ pin.</summary>
    public IDigitalInput LeadOffPlus { get; }

    /// <summary>The LO- pin (kept low: one comparator is enough to flag the lead).</summary>
    public IDigitalInput LeadOffMinus { get; }

    /// <summary>The firmware core's front end driver over these pins.</summary>
    public IEcgFrontEnd FrontEnd { get; }

    /// <summary>The conversion the ADC applies.</summary>
    public Ad8232Conversion Conversion => _conversion;

    /// <summary>Index of the sample the next conversion returns.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>The ADC count for sample <paramref name="index"/> of the source.</summary>
    public int CountsAt(long index)
    {
        var i = index % _source.Length;
        return _source.IsLeadOffAt(i) ? _conversion.MaxCount : _conversion.ToCounts(_source.MicrovoltsAt(i));
    }

    private bool LeadOffNow() => _source.IsLeadOffAt(Position % _source.Length);

    private int Convert() => CountsAt(Interlocked.Increment(ref _position) - 1);

    private sealed class OutputChannel(EcgAdcEmulator owner) : IAdcChannel
    {
        public int ReadValue() => owner.Convert();
    }

    private sealed class Pin(EcgAdcEmulator? owner) : IDigitalInput
    {
        public bool IsHigh() => owner?.LeadOffNow() ?? false;
    }
}
