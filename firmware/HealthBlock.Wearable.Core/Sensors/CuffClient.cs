// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// The wearable's cuff driver: sends <c>M</c>, waits for <c>ACK,M</c> and then for the result line, skipping
    /// lines that are garbled (bad characters, bad checksum, too long) and giving up after its timeouts: the short
    /// one when the cuff says nothing at all (not even a garbled line), the long one for the result.
    /// </summary>
    public sealed class CuffClient : ICuff
    {
        private const int StateIdle = 0;
        private const int StateAwaitingAck = 1;
        private const int StateMeasuring = 2;

        private readonly ISerialChannel _channel;
        private readonly int _ackTimeoutMs;
        private readonly int _measurementTimeoutMs;
        private readonly byte[] _receive = new byte[64];
        private readonly byte[] _line = new byte[CuffProtocol.MaxLineLength + 2];
        private readonly byte[] _command = new byte[2];
        private readonly BloodPressureReading _parsed = new BloodPressureReading();
        private int _lineLength;
        private bool _lineOverflow;
        private int _state;
        private long _startedMs;
        private int _pendingError;
        private bool _heard;

        /// <summary>Creates a driver with the default timeouts: 3 s for the acknowledgement, 150 s for the result.</summary>
        public CuffClient(ISerialChannel channel)
            : this(channel, 3000, 150000)
        {
        }

        /// <summary>Creates a driver.</summary>
        public CuffClient(ISerialChannel channel, int ackTimeoutMs, int measurementTimeoutMs)
        {
            if (channel == null)
            {
                throw new ArgumentNullException("channel");
            }

            if (ackTimeoutMs <= 0 || measurementTimeoutMs < ackTimeoutMs)
            {
                throw new ArgumentOutOfRangeException("measurementTimeoutMs");
            }

            _channel = channel;
            _ackTimeoutMs = ackTimeoutMs;
            _measurementTimeoutMs = measurementTimeoutMs;
        }

        /// <summary>Lines received that were not valid replies.</summary>
        public int GarbageLines { get; private set; }

        /// <summary>Whether a measurement is running.</summary>
        public bool IsBusy
        {
            get { return _state != StateIdle; }
        }

        /// <summary>Discards stale input and sends <c>M</c>.</summary>
        public bool StartMeasurement(long nowMs)
        {
            if (_state != StateIdle)
            {
                return false;
            }

            while (_channel.ReadAvailable(_receive, 0, _receive.Length) > 0)
            {
            }

            _lineLength = 0;
            _lineOverflow = false;
            _startedMs = nowMs;
            _heard = false;
            _state = StateAwaitingAck;
            _pendingError = Send(CuffProtocol.StartCommand) ? 0 : CuffProtocol.ErrorWriteFailed;
            return true;
        }

        /// <summary>Reads what arrived and advances the measurement.</summary>
        public int Poll(long nowMs, BloodPressureReading result)
        {
            if (result == null)
            {
                throw new ArgumentNullException("result");
            }

            if (_state == StateIdle)
            {
                return CuffPoll.Idle;
            }

            if (_pendingError != 0)
            {
                return Fail(result, _pendingError);
            }

            int n;
            while ((n = _channel.ReadAvailable(_receive, 0, _receive.Length)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    int outcome = Feed(_receive[i], result);
                    if (outcome != CuffPoll.Pending)
                    {
                        return outcome;
                    }
                }
            }

            long elapsed = nowMs - _startedMs;
            if (_state == StateAwaitingAck && !_heard && elapsed > _ackTimeoutMs)
            {
                return Fail(result, CuffProtocol.ErrorNoResponse);
            }

            if (elapsed > _measurementTimeoutMs)
            {
                Send(CuffProtocol.AbortCommand);
                return Fail(result, CuffProtocol.ErrorTimeout);
            }

            return CuffPoll.Pending;
        }

        private bool Send(byte command)
        {
            _command[0] = command;
            _command[1] = (byte)'\n';
            try
            {
                _channel.Write(_command, 0, 2);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private int Feed(byte b, BloodPressureReading result)
        {
            if (b != (byte)'\n')
            {
                if (_lineLength < _line.Length)
                {
                    _line[_lineLength++] = b;
                }
                else
                {
                    _lineOverflow = true;
                }

                return CuffPoll.Pending;
            }

            int length = _lineLength;
            bool overflow = _lineOverflow;
            _heard = true;
            _lineLength = 0;
            _lineOverflow = false;
            if (length == 0 || (length == 1 && _line[0] == (byte)'\r'))
            {
                return CuffPoll.Pending;
            }

            int kind = overflow ? CuffProtocol.ReplyInvalid : CuffProtocol.ParseReply(_line, length, _parsed);
            if (kind == CuffProtocol.ReplyAck)
            {
                if (_state == StateAwaitingAck)
                {
                    _state = StateMeasuring;
                }

                return CuffPoll.Pending;
            }

            if (kind == CuffProtocol.ReplyResult)
            {
                if (!CuffProtocol.IsPlausible(_parsed))
                {
                    return Fail(result, CuffProtocol.ErrorImplausible);
                }

                result.Clear();
                result.Systolic = _parsed.Systolic;
                result.Diastolic = _parsed.Diastolic;
                result.Pulse = _parsed.Pulse;
                result.Status = _parsed.Status;
                Finish();
                return CuffPoll.Completed;
            }

            if (kind == CuffProtocol.ReplyError)
            {
                return Fail(result, _parsed.ErrorCode);
            }

            if (kind == CuffProtocol.ReplyInvalid)
            {
                GarbageLines++;
            }

            return CuffPoll.Pending;
        }

        private int Fail(BloodPressureReading result, int errorCode)
        {
            result.Clear();
            result.ErrorCode = errorCode;
            Finish();
            return CuffPoll.Failed;
        }

        private void Finish()
        {
            _state = StateIdle;
            _pendingError = 0;
            _lineLength = 0;
            _lineOverflow = false;
        }
    }
}
