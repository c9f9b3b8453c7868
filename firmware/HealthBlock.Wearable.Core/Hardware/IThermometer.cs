// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>A body thermometer.</summary>
    public interface IThermometer
    {
        /// <summary>
        /// Reads the temperature in centi-degrees Celsius (3712 = 37.12 °C). Returns <c>false</c> when the sensor
        /// did not answer, answered with a corrupted packet or flagged an error.
        /// </summary>
        bool TryReadCentiCelsius(out int centiCelsius);
    }
}
