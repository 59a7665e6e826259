from user.train import train
