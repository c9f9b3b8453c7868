using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>A thermometer that always reads the same temperature, or fails while told to.</summary>
/// <param name="centiCelsius">The temperature it reads, in centi-°C.</param>
public sealed class FixedThermometer(int centiCelsius) : IThermometer
{
    /// <summary>When set, reads fail.</summary>
    public bool Fail { get; set; }

    /// <summary>Reads so far.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc />
    public bool TryReadCentiCelsius(out int value)
    {
        Reads++;
        value = Fail ? 0 : centiCelsius;
        return !Fail;
    }
}
