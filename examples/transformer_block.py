"""A pre-norm transformer encoder block, for `layerc-export`:

    layerc-export examples/transformer_block.py:transformer_block \\
        --input x=N,L,64 -o out/transformer_block

Self-attention (nn.MultiheadAttention, batch_first) and an MLP (Linear, GELU,
Linear), each after a LayerNorm and with a residual add.
"""
import torch.nn as nn


class TransformerBlock(nn.Module):
    def __init__(self, dim=64, heads=4, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(),
                                 nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


def transformer_block(dim=64, heads=4, mlp_ratio=4):
    """A TransformerBlock in eval mode, with PyTorch's default initialisation."""
    return TransformerBlock(dim, heads, mlp_ratio).eval()
