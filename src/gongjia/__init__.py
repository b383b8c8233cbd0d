"""Gongjia (工家): the platform of a district federation of trade unions."""
