// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System.Device.Gpio;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>A GPIO input (System.Device.Gpio: GpioController.OpenPin(pin, PinMode.Input), GpioPin.Read).</summary>
    internal sealed class GpioInput : IDigitalInput
    {
        private readonly GpioPin _pin;

        public GpioInput(GpioController controller, int pinNumber)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.Input);
        }

        public bool IsHigh()
        {
            return _pin.Read() == PinValue.High;
        }
    }
}
