// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System.Device.Gpio;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>A push button (active low, internal pull-up) that asks for a blood-pressure measurement.</summary>
    internal sealed class MeasureButton
    {
        private readonly GpioPin _pin;
        private readonly SamplingScheduler _sampler;
        private int _presses;

        public MeasureButton(GpioController controller, int pinNumber, SamplingScheduler sampler)
        {
            _sampler = sampler;
            _pin = controller.OpenPin(pinNumber, PinMode.InputPullUp);
            _pin.ValueChanged += OnValueChanged;
        }

        public int Presses
        {
            get { return _presses; }
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            if (e.ChangeType == PinEventTypes.Falling)
            {
                _presses++;
                _sampler.RequestBloodPressure();
            }
        }
    }
}
