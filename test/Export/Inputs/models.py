"""Small modules for the layerc-export tests: each uses a group of the ops
that layerc-export maps (layers, functions, methods, in-place ops, shared
weights), or one that it rejects."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Functions(nn.Module):
    """Elementwise and binary functions, as torch.*, F.*, methods, operators
    and in-place ops; numbers on either side of a binary op."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        y = self.fc(x)
        a = torch.relu(y) + F.relu6(y) * 0.5 - torch.sigmoid(y) / 3
        b = F.gelu(y, approximate="tanh") + F.gelu(y) + F.silu(y) + F.hardswish(y)
        c = F.leaky_relu(y, 0.2) + y.tanh() + F.hardsigmoid(y) + F.hardtanh(y, -2.0, 2.0)
        d = 1 - y
        d += 2.5
        d *= a
        e = -b
        e.relu_()
        return a, torch.add(b, c), d.sub(e), e, F.relu(x, inplace=True), x


class Shapes(nn.Module):
    """Reshapes with sizes from x.size(), flatten, transpose, permute, cat,
    mean, matmul, softmax."""

    def forward(self, x):  # x: [N, 4, 6]
        n, _, _ = x.shape
        a = x.view(n, -1)                      # [N, 24]
        b = x.reshape(x.shape[0], 2, 2, 6).flatten(2)
        c = torch.flatten(b, 1)
        t = x.transpose(1, 2)                  # [N, 6, 4]
        p = x.permute(0, 2, 1).contiguous()
        q = torch.permute(x, (2, 0, 1))
        s = torch.matmul(t, x) @ t             # [N, 6, 4]
        m = x.mean(-1) + torch.mean(x, dim=(1, 2), keepdim=True).squeeze(-1)
        u = x.unsqueeze(1).mean()
        w = torch.cat([a, c], dim=1)
        sm = F.softmax(s, dim=-1) + torch.log_softmax(s, 1) + s.softmax(0)
        return a, b, w, t + p, q, sm, m, u


class Layers(nn.Module):
    """Conv/pool/norm layers of every rank, their functional forms, and layers
    with non-default arguments."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 4, 3, padding=1, padding_mode="reflect")
        self.bn1 = nn.BatchNorm1d(4, eps=1e-3, momentum=None)
        self.pool1 = nn.MaxPool1d(2)
        self.avg1 = nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=False)
        self.conv2 = nn.Conv2d(3, 8, (3, 5), stride=(1, 2), padding=(1, 2), bias=False)
        self.gn = nn.GroupNorm(2, 8, eps=1e-6)
        self.pool2 = nn.MaxPool2d(3, 2, 1, ceil_mode=True)
        self.avg2 = nn.AvgPool2d((2, 2))
        self.adapt = nn.AdaptiveAvgPool2d((None, 2))
        self.amax = nn.AdaptiveMaxPool2d(1)
        self.conv3 = nn.Conv3d(2, 2, 3, padding="same", dilation=2)
        self.bn3 = nn.BatchNorm3d(2, affine=False, track_running_stats=True)
        self.ln = nn.LayerNorm((4, 4), elementwise_affine=False)
        self.ln2 = nn.LayerNorm(4, eps=1e-6)
        self.act = nn.LeakyReLU(0.1)
        self.act2 = nn.Hardtanh(0.0, 6.0)
        self.act3 = nn.GELU(approximate="tanh")
        self.drop = nn.Dropout2d(0.3)
        self.flat = nn.Flatten(2)
        self.soft = nn.Softmax(dim=1)
        self.logsoft = nn.LogSoftmax(-1)
        self.id = nn.Identity()
        self.misc = nn.Sequential(nn.Sigmoid(), nn.Tanh(), nn.SiLU(), nn.Hardswish(),
                                  nn.Hardsigmoid(), nn.ReLU6(), nn.Dropout())
        self.drop1 = nn.Dropout1d(0.1)

    def forward(self, x1, x2, x3):  # [N, 3, 8], [N, 3, 8, 8], [N, 2, 4, 4, 4]
        a = self.drop1(self.avg1(self.pool1(self.act(self.bn1(self.conv1(x1))))))
        a = F.max_pool1d(a, 2) + F.avg_pool1d(a, 2) + F.adaptive_avg_pool1d(a, 2)
        b = self.act2(self.gn(self.conv2(x2)))
        b1 = self.drop(self.avg2(self.pool2(b)))
        b2 = self.amax(b) + self.adapt(b).mean((2, 3), keepdim=True)
        b3 = F.max_pool2d(b, (2, 2)) + F.avg_pool2d(b, 3, 2, 1, count_include_pad=False)
        b4 = F.adaptive_avg_pool2d(b, (1, 1)) + F.adaptive_max_pool2d(b, 1)
        c = self.ln(self.bn3(self.conv3(x3)))
        c = F.max_pool3d(c, 2) + F.avg_pool3d(c, 2) + F.adaptive_avg_pool3d(c, 1)
        d = self.logsoft(self.soft(self.flat(self.act3(self.ln2(self.id(x3))))))
        return a, b1, b2, b3, b4, c, d, self.misc(b)


class Shared(nn.Module):
    """A Linear applied twice (declared once), a parameter-free layer applied
    twice, and a layer that no output uses (dropped with its weights)."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(8, 8)
        self.act = nn.ReLU()
        self.unused = nn.Linear(8, 3)

    def forward(self, x):
        _ = self.unused(x)
        return self.enc(self.act(self.enc(self.act(x))))


class Attention(nn.Module):
    """MultiheadAttention, batch second, default need_weights, no bias, the
    result unpacked as a tuple."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(16, 2, bias=False)

    def forward(self, x):
        out, _ = self.attn(x, x, x)
        return out


class Block(nn.Module):
    def __init__(self, op):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.op = op

    def forward(self, x):
        return self.op(self.fc(x))


class Cumsum(nn.Module):
    """torch.cumsum inside blocks.1."""

    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(torch.relu), Block(lambda x: torch.cumsum(x, 1)))

    def forward(self, x):
        return self.blocks(x)


class TopLevelMethod(nn.Module):
    """Tensor.cumsum in the top-level forward."""

    def forward(self, x):
        return x.cumsum(1)


class LeafModule(nn.Module):
    """A torch.nn layer that .nn does not have."""

    def __init__(self):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(4, 4), nn.PReLU())

    def forward(self, x):
        return self.head(x)


class CrossAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(4, 1, batch_first=True)

    def forward(self, x, y):
        return self.attn(x, y, y)[0]


class Parameter(nn.Module):
    """A parameter used outside a layer."""

    def __init__(self):
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(4))

    def forward(self, x):
        return x + self.pos


class TwoSymbols(nn.Module):
    """A view with two sizes that depend on symbols."""

    def forward(self, x):
        return x.view(x.size(0), x.size(1), 2, -1)


class Slice(nn.Module):
    def forward(self, x):
        return x[:, 0]


class OptionalArgument(nn.Module):
    """forward() with a parameter that keeps its default."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x, scale=None):
        y = self.fc(x)
        return y if scale is None else y * scale


class NotAModule:
    pass
