using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.Wearable.Core.Tests;

public class CuffClientTests
{
    private readonly ScriptedSerial _serial = new();
    private readonly BloodPressureReading _result = new();

    [Fact]
    public void A_measurement_sends_M_and_returns_the_result_line()
    {
        var cuff = new CuffClient(_serial, 3000, 150_000);

        Assert.True(cuff.StartMeasurement(0));
        Assert.Equal("M\n", _serial.WrittenText);
        Assert.Equal(CuffPoll.Pending, cuff.Poll(10, _result));
        _serial.Push(CuffProtocol.EncodeLine("ACK,M"));
        Assert.Equal(CuffPoll.Pending, cuff.Poll(500, _result));
        _serial.Push(CuffProtocol.EncodeResult(121, 79, 66, 1));

        Assert.Equal(CuffPoll.Completed, cuff.Poll(35_000, _result));
        Assert.Equal((121, 79, 66, 1), (_result.Systolic, _result.Diastolic, _result.Pulse, _result.Status));
        Assert.Equal(CuffPoll.Idle, cuff.Poll(35_100, _result));
    }

    [Fact]
    public void The_encoded_lines_are_the_documented_bytes()
    {
        // XOR of "BP,120,80,60,0" is 0x1F; of "ERR,3" 0x5A; of "ACK,M" 0x28.
        Assert.Equal("BP,120,80,60,0*1F\r\n", System.Text.Encoding.ASCII.GetString(CuffProtocol.EncodeResult(120, 80, 60, 0)));
        Assert.Equal("ERR,3*5A\r\n", System.Text.Encoding.ASCII.GetString(CuffProtocol.EncodeError(3)));
        Assert.Equal("ACK,M*28\r\n", System.Text.Encoding.ASCII.GetString(CuffProtocol.EncodeLine("ACK,M")));
    }

    [Fact]
    public void An_error_line_fails_the_measurement_with_its_code()
    {
        var cuff = new CuffClient(_serial);
        cuff.StartMeasurement(0);
        _serial.Push(CuffProtocol.EncodeLine("ACK,M"));
        _serial.Push(CuffProtocol.EncodeError(CuffProtocol.ErrorCuffLoose));

        Assert.Equal(CuffPoll.Failed, cuff.Poll(100, _result));
        Assert.Equal(CuffProtocol.ErrorCuffLoose, _result.ErrorCode);
        Assert.False(cuff.IsBusy);
    }

    [Fact]
    public void Garbage_bad_checksums_and_overlong_lines_are_skipped()
    {
        var cuff = new CuffClient(_serial);
        cuff.StartMeasurement(0);
        _serial.Push([0x00, 0xFF, 0x13, (byte)'\n']);
        _serial.Push("BP,120,80,60,0*31\r\n");
        _serial.Push("bp,120,80,60,0*10\r\n");
        _serial.Push(new string('A', 80) + "\n");
        _serial.Push("BP,120,80*10\n\r\n\n");
        _serial.Push(CuffProtocol.EncodeResult(120, 80, 60, 0));

        Assert.Equal(CuffPoll.Completed, cuff.Poll(1000, _result));
        Assert.Equal(120, _result.Systolic);
        Assert.Equal(5, cuff.GarbageLines);
    }

    [Fact]
    public void Stale_input_before_the_command_is_discarded()
    {
        var cuff = new CuffClient(_serial);
        _serial.Push(CuffProtocol.EncodeResult(200, 100, 90, 0));

        cuff.StartMeasurement(0);
        _serial.Push(CuffProtocol.EncodeResult(110, 70, 55, 0));

        Assert.Equal(CuffPoll.Completed, cuff.Poll(10, _result));
        Assert.Equal(110, _result.Systolic);
    }

    [Fact]
    public void No_acknowledgement_in_time_fails_with_no_response()
    {
        var cuff = new CuffClient(_serial, 3000, 150_000);
        cuff.StartMeasurement(0);

        Assert.Equal(CuffPoll.Pending, cuff.Poll(3000, _result));
        Assert.Equal(CuffPoll.Failed, cuff.Poll(3001, _result));
        Assert.Equal(CuffProtocol.ErrorNoResponse, _result.ErrorCode);
    }

    [Fact]
    public void No_result_in_time_aborts_the_cuff_and_fails_with_timeout()
    {
        var cuff = new CuffClient(_serial, 3000, 150_000);
        cuff.StartMeasurement(0);
        _serial.Push(CuffProtocol.EncodeLine("ACK,M"));
        cuff.Poll(100, _result);

        Assert.Equal(CuffPoll.Failed, cuff.Poll(150_001, _result));
        Assert.Equal(CuffProtocol.ErrorTimeout, _result.ErrorCode);
        Assert.Equal("M\nX\n", _serial.WrittenText);
    }

    [Fact]
    public void An_implausible_result_is_refused()
    {
        var cuff = new CuffClient(_serial);
        cuff.StartMeasurement(0);
        _serial.Push(CuffProtocol.EncodeResult(80, 120, 60, 0));

        Assert.Equal(CuffPoll.Failed, cuff.Poll(10, _result));
        Assert.Equal(CuffProtocol.ErrorImplausible, _result.ErrorCode);
    }

    [Fact]
    public void A_failed_write_is_reported_at_the_next_poll()
    {
        _serial.FailWrites = true;
        var cuff = new CuffClient(_serial);

        Assert.True(cuff.StartMeasurement(0));
        Assert.Equal(CuffPoll.Failed, cuff.Poll(0, _result));
        Assert.Equal(CuffProtocol.ErrorWriteFailed, _result.ErrorCode);
    }

    [Fact]
    public void A_second_start_while_busy_is_refused()
    {
        var cuff = new CuffClient(_serial);

        Assert.True(cuff.StartMeasurement(0));
        Assert.False(cuff.StartMeasurement(1));
    }

    [Theory]
    [InlineData("ST,1*1A", CuffProtocol.ReplyStatus)]
    [InlineData("ACK,M*28", CuffProtocol.ReplyAck)]
    [InlineData("ACK,X*3D", CuffProtocol.ReplyInvalid)]
    [InlineData("BP,1200,80,60,0*2F", CuffProtocol.ReplyInvalid)]
    [InlineData("BP,120,80,60*03", CuffProtocol.ReplyInvalid)]
    [InlineData("ERR,*69", CuffProtocol.ReplyInvalid)]
    [InlineData("ERR,3*5a", CuffProtocol.ReplyInvalid)]
    [InlineData("*00", CuffProtocol.ReplyInvalid)]
    public void Reply_lines_parse_strictly(string line, int kind)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(line);

        Assert.Equal(kind, CuffProtocol.ParseReply(bytes, bytes.Length, new BloodPressureReading()));
    }
}
